import { isBackendError } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3Backend } from '../src/backend.js';
import { startEtcdCluster, type EtcdCluster, type EtcdServer } from '../src/testing/index.js';
import { WatchReader, backendFor, currentRevision, enc } from './helpers.js';

// A SIGSTOPped member keeps its TCP connections open and answers nothing: no error ever comes back, only silence.
// These tests run with the driver's default deadlines (10 s per request, gRPC keepalive), as users would.

let cluster: EtcdCluster;

beforeAll(async () => {
  cluster = await startEtcdCluster({ size: 3, heartbeatIntervalMs: 50, electionTimeoutMs: 500 });
});

afterAll(async () => {
  await cluster?.stop();
});

/** A counter or gauge from a member's own /metrics, summed over the series that match `labels`. */
async function metric(member: EtcdServer, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${member.metricsPort}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
      if (labels === '' || line.includes(labels)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

/** The member whose `name` grew most while `act` ran: the one the backend sent that work to. */
async function memberServing(name: string, labels: string, act: () => Promise<void>): Promise<EtcdServer> {
  const before = await Promise.all(cluster.members.map((m) => metric(m, name, labels)));
  await act();
  const after = await Promise.all(cluster.members.map((m) => metric(m, name, labels)));
  const growth = after.map((v, i) => v - before[i]!);
  const best = growth.indexOf(Math.max(...growth));
  expect(growth[best]).toBeGreaterThan(0);
  return cluster.members[best]!;
}

async function leader(): Promise<EtcdServer> {
  const flags = await Promise.all(cluster.members.map((m) => metric(m, 'etcd_server_is_leader')));
  const index = flags.indexOf(1);
  expect(index).toBeGreaterThanOrEqual(0);
  return cluster.members[index]!;
}

async function stopped<T>(member: EtcdServer, run: () => Promise<T>): Promise<T> {
  await member.kill('SIGSTOP');
  try {
    return await run();
  } finally {
    await member.kill('SIGCONT');
    await member.waitHealthy(15_000);
  }
}

/** Waits until the live members have a leader: a write during the election fails (and is never retried). */
async function untilLeader(backend: Etcd3Backend): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (let n = 0; ; n++) {
    try {
      await backend.optimisticPut(`/registry/stall/elected-${n}`, enc('v'), 0);
      return;
    } catch (err) {
      if (Date.now() > deadline || !(isBackendError(err, 'Unreachable') || isBackendError(err, 'Timeout'))) throw err;
    }
  }
}

describe('a SIGSTOPped member of a 3-member cluster', () => {
  // The member reads go to, or the leader (reads elsewhere then wait for, or are refused during, the election);
  // with the default 10 s deadline and with a short one (where a silent member is given up sooner).
  it.each([
    { stop: 'read member', requestTimeoutMs: undefined },
    { stop: 'read member', requestTimeoutMs: 1_500 },
    { stop: 'leader', requestTimeoutMs: undefined },
    { stop: 'leader', requestTimeoutMs: 1_500 },
  ])(
    'costs at most one slow read: later reads go to the live members, and none fails ($stop, requestTimeoutMs $requestTimeoutMs)',
    { timeout: 90_000 },
    async ({ stop, requestTimeoutMs }) => {
      const backend = await backendFor(cluster.endpoints, requestTimeoutMs === undefined ? undefined : { requestTimeoutMs });
      try {
        const key = '/registry/stall/read';
        await backend.optimisticPut(key, enc('v'), 0); // a no-op once an earlier case created it
        const range = 'grpc_method="Range"';
        const reads = await memberServing('grpc_server_started_total', range, async () => {
          for (let i = 0; i < 5; i++) await backend.get(key);
        });
        const target = stop === 'leader' ? await leader() : reads;
        const outcomes = await stopped(target, async () => {
          const out: { ms: number; error?: unknown }[] = [];
          for (let i = 0; i < 10; i++) {
            const started = Date.now();
            // Point reads (the first one too, under the request deadline), lists and counts: every kind fails over.
            const read = i % 3 === 0 ? backend.get(key) : i % 3 === 1 ? backend.list('/registry/stall/') : backend.count('/registry/stall/');
            const error = await read.then(
              () => undefined,
              (e: unknown) => e,
            );
            out.push(error === undefined ? { ms: Date.now() - started } : { ms: Date.now() - started, error });
          }
          return out;
        });
        expect(outcomes.filter((o) => o.error !== undefined).map((o) => String(o.error))).toEqual([]);
        const slow = outcomes.filter((o) => o.ms > 2_000);
        expect(slow.length, JSON.stringify(outcomes.map((o) => o.ms))).toBeLessThanOrEqual(1);
      } finally {
        await backend.close();
      }
    },
  );

  it('does not stall a watch on it: events written through another member arrive soon, none lost or repeated', { timeout: 90_000 }, async () => {
    const backend = await backendFor(cluster.endpoints);
    const p = '/registry/stall/watch/';
    let reader: WatchReader | undefined;
    try {
      const start = (await currentRevision(backend)) + 1;
      const target = await memberServing('etcd_debugging_mvcc_watch_stream_total', '', async () => {
        reader = new WatchReader(backend.watch(p, { prefix: true, startRevision: start }));
        await backend.optimisticPut(`${p}before`, enc('v'), 0);
        expect((await reader.nextEvents(10_000)).events.map((e) => e.kv.key)).toEqual([`${p}before`]);
      });
      const watch = reader!;
      const others = cluster.members.filter((m) => m !== target).map((m) => m.endpoint);
      const writer = await backendFor(others);
      try {
        await stopped(target, async () => {
          await untilLeader(writer); // the stopped member may have been the leader
          const started = Date.now();
          const written: [string, number][] = [];
          for (let i = 0; i < 5; i++) {
            const res = await writer.optimisticPut(`${p}during-${i}`, enc('v'), 0);
            expect(res.succeeded).toBe(true);
            written.push([`${p}during-${i}`, res.revision]);
          }
          const seen = (await watch.collect(written.length, 30_000)).flatMap((r) => r.events);
          const took = Date.now() - started;
          expect(seen.map((e) => [e.kv.key, e.kv.modRevision])).toEqual(written);
          // gRPC keepalive alone would notice after ~40 s (30 s ping interval + 10 s timeout).
          expect(took).toBeLessThan(15_000);
          expect(await watch.eventsWithin(500)).toBeUndefined(); // nothing repeated
        });
      } finally {
        await writer.close();
      }
    } finally {
      await reader?.close();
      await backend.close();
    }
  });
});
