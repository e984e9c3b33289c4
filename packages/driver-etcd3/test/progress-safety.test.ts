import type { BackendWatchResponse } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3Backend } from '../src/backend.js';
import { orderedProgressSupported } from '../src/server-features.js';
import { startEtcd, type EtcdServer } from '../src/testing/index.js';
import { WatchReader, backendFor, currentRevision, enc, sleep } from './helpers.js';

let etcd: EtcdServer;
let backend: Etcd3Backend;
const PROGRESS_INTERVAL_MS = 300;

beforeAll(async () => {
  etcd = await startEtcd({ progressNotifyIntervalMs: PROGRESS_INTERVAL_MS });
  backend = await backendFor(etcd.endpoint);
});

afterAll(async () => {
  await backend?.close();
  await etcd?.stop();
});

const current = () => currentRevision(backend);

/** Checks that no progress response claims a revision before all earlier events were delivered. */
function checkOrder(responses: readonly BackendWatchResponse[], start: number): void {
  let delivered = start - 1;
  for (const res of responses) {
    if (res.events.length === 0) {
      expect(res.revision, 'progress ahead of delivered events').toBeLessThanOrEqual(delivered);
      delivered = Math.max(delivered, res.revision);
    } else {
      expect(res.events[0]!.kv.modRevision, 'event at or below an earlier progress revision').toBeGreaterThan(delivered);
      delivered = res.revision;
    }
  }
}

describe('requested progress on etcd < 3.4.31 (out-of-band answers)', () => {
  it('knows which server versions answer progress requests in order', () => {
    expect(['3.4.23', '3.4.30', '3.5.12', '3.3.27', '2.3.8', 'garbage', ''].map(orderedProgressSupported)).toEqual(
      [false, false, false, false, false, false, false],
    );
    expect(['3.4.31', '3.4.40', '3.5.13', '3.5.21', '3.6.0', 'v3.7.1', '4.0.0'].map(orderedProgressSupported)).toEqual(
      [true, true, true, true, true, true, true],
    );
  });

  it('declares requestProgress: false for this etcd 3.4.23', async () => {
    const { version } = await backend.endpointStatus(0);
    expect(orderedProgressSupported(version)).toBe(false);
    expect(backend.capabilities.requestProgress).toBe(false);
    expect(backend.capabilities.progressNotify).toBe(true);
  });

  it('never claims revisions still queued in etcd when the consumer is slow, nor resumes past them', async () => {
    const p = '/registry/slowprog/';
    const start = (await current()) + 1;
    const reader = new WatchReader(backend.watch(p, { prefix: true, startRevision: start }));
    await sleep(100);
    // Far more than the client buffers and the socket hold: etcd's send loop blocks and queues the rest.
    const value = new Uint8Array(64 * 1024);
    const total = 240;
    for (let i = 0; i < total; i += 40) {
      await Promise.all(Array.from({ length: 40 }, (_, j) => backend.optimisticPut(`${p}${i + j}`, value, 0)));
    }
    await backend.requestProgress();
    const seen: BackendWatchResponse[] = [];
    let events = 0;
    let progress = 0;
    while (events < total || progress === 0) {
      const res = await reader.next(5_000);
      if (res === undefined) throw new Error(`watch stalled after ${events} events, ${progress} progress`);
      seen.push(res);
      events += res.events.length;
      if (res.events.length === 0 && progress++ === 0 && events < total) {
        // The stream drops right after the progress: the watch must resume where it really is.
        await etcd.kill('SIGKILL');
        await etcd.restart();
      }
      await sleep(2);
    }
    checkOrder(seen, start);
    expect(seen.flatMap((r) => r.events.map((e) => e.kv.modRevision))).toEqual(Array.from({ length: total }, (_, i) => start + i));
    await reader.close();
  });

  it('reports the delivered revision for a past-start watch on a quiet range, and periodic progress moves it on', async () => {
    const start = await current();
    await backend.optimisticPut('/registry/elsewhere/a', enc('x'), 0);
    const rev = (await backend.optimisticPut('/registry/elsewhere/b', enc('x'), 0)).revision;
    const reader = new WatchReader(backend.watch('/registry/quiet/', { prefix: true, startRevision: start, progressNotify: true }));
    await sleep(100);
    await backend.requestProgress();
    const first = await reader.nextProgress(2_000);
    // Nothing delivered yet, and an out-of-band answer cannot vouch for more; a periodic one (in order) can.
    expect([start - 1, rev]).toContain(first.revision);
    const deadline = Date.now() + PROGRESS_INTERVAL_MS * 8;
    let last = first.revision;
    while (last < rev && Date.now() < deadline) last = (await reader.nextProgress(PROGRESS_INTERVAL_MS * 4)).revision;
    expect(last).toBe(rev);
    await reader.close();
  });
});

describe('a watch that starts in the future', () => {
  it('reports no progress (periodic or requested) until the store reaches startRevision - 1', async () => {
    const start = (await current()) + 4;
    const reader = new WatchReader(backend.watch('/registry/future/', { prefix: true, startRevision: start, progressNotify: true }));
    await sleep(100);
    await backend.requestProgress();
    expect(await reader.next(PROGRESS_INTERVAL_MS * 4)).toBeUndefined();
    let rev = 0;
    for (let i = 0; rev < start - 1; i++) rev = (await backend.optimisticPut(`/registry/not-future/${i}`, enc('x'), 0)).revision;
    expect(rev).toBe(start - 1);
    await backend.requestProgress();
    expect((await reader.nextProgress(PROGRESS_INTERVAL_MS * 4)).revision).toBe(start - 1);
    await reader.close();
  });
});
