import { BackendError, isBackendError } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3Backend } from '../src/backend.js';
import { startEtcd, type EtcdServer } from '../src/testing/index.js';
import { backendFor, enc } from './helpers.js';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy.js';

const REQUEST_TIMEOUT_MS = 1_000;
const LATENCY_MS = 350;
// The failing call (one round trip) plus one shared request timeout for all follow-up reads, plus slack;
// one request timeout per follow-up read (about a dozen here) would take several seconds.
const BOUND_MS = LATENCY_MS + REQUEST_TIMEOUT_MS + 1_000;

let etcd: EtcdServer;
let proxy: LatencyProxy;
let direct: Etcd3Backend;
let slow: Etcd3Backend;

beforeAll(async () => {
  etcd = await startEtcd();
  proxy = await startLatencyProxy(etcd.endpoint, LATENCY_MS);
  direct = await backendFor(etcd.endpoint);
  slow = await backendFor(proxy.endpoint, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
});

afterAll(async () => {
  await slow?.close();
  await direct?.close();
  await proxy?.close();
  await etcd?.stop();
});

async function timed<T>(run: () => Promise<T>): Promise<{ result: T | unknown; ms: number }> {
  const started = Date.now();
  const result = await run().catch((e: unknown) => e);
  return { result, ms: Date.now() - started };
}

describe('filling in revisions after an error', () => {
  it('shares one request timeout across the follow-up reads on a slow link, then reports the error without them', async () => {
    const p = '/registry/fill/';
    for (let i = 0; i < 1_000; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => direct.optimisticPut(`${p}${i + j}`, enc('v'), 0)));
    }
    // Compacted by another client, so the slow backend has to search for the floor (about a dozen reads).
    const floor = (await direct.get('/registry/x')).revision - 5;
    await direct.compact(floor);
    expect((await slow.get(`${p}1`)).kv).not.toBeNull(); // the slow link works, one round trip at a time

    const read = await timed(() => slow.get(`${p}1`, { revision: 2 }));
    expect(read.ms).toBeLessThan(BOUND_MS);
    expect(read.result).toBeInstanceOf(BackendError);
    expect((read.result as BackendError).code).toBe('Compacted');
    expect([undefined, floor]).toContain((read.result as BackendError).compactRevision);

    const status = await timed(() => slow.status());
    expect(status.ms).toBeLessThan(BOUND_MS);
    if (status.result instanceof Error) expect(isBackendError(status.result, 'Timeout'), String(status.result)).toBe(true);
    else expect(status.result).toMatchObject({ compactRevision: floor });

    // Without the slow link the exact floor is found.
    const err = await direct.get(`${p}1`, { revision: 2 }).catch((e: unknown) => e);
    expect((err as BackendError).compactRevision).toBe(floor);
  });
});
