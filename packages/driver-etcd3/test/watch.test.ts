import { BackendError, isBackendError, type BackendWatchResponse } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3Backend } from '../src/backend.js';
import { startEtcd, type EtcdServer } from '../src/testing/index.js';
import { WatchReader, backendFor, currentRevision, dec, enc, sleep } from './helpers.js';

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

async function put(key: string, value: string): Promise<number> {
  const { kv } = await backend.get(key);
  const res = await backend.optimisticPut(key, enc(value), kv?.modRevision ?? 0);
  expect(res.succeeded).toBe(true);
  return res.revision;
}

async function del(key: string): Promise<number> {
  const { kv } = await backend.get(key);
  const res = await backend.optimisticDelete(key, kv!.modRevision);
  expect(res.succeeded).toBe(true);
  return res.revision;
}

const flat = (responses: readonly BackendWatchResponse[]) => responses.flatMap((r) => r.events);

describe('events', () => {
  it('replays history from a past revision, then delivers live events, in order', async () => {
    const p = '/registry/replay/';
    const r1 = await put(`${p}a`, '1');
    const r2 = await put(`${p}b`, '1');
    const r3 = await put(`${p}a`, '2');
    await put('/registry/replay-not/x', 'outside'); // outside the prefix
    const r4 = await del(`${p}b`);

    const reader = new WatchReader(backend.watch(p, { prefix: true, startRevision: r2 }));
    const replay = flat(await reader.collect(3));
    expect(replay.map((e) => [e.type, e.kv.key, e.kv.modRevision])).toEqual([
      ['put', `${p}b`, r2],
      ['put', `${p}a`, r3],
      ['delete', `${p}b`, r4],
    ]);
    expect(replay[2]!.kv.value).toHaveLength(0);
    expect(replay[0]!.prevKv).toBeNull(); // not requested

    const r5 = await put(`${p}c`, 'live');
    const live = await reader.nextEvents();
    expect(live.revision).toBe(r5);
    expect(live.events.map((e) => [e.type, e.kv.key, dec(e.kv.value), e.kv.createRevision, e.kv.version])).toEqual([
      ['put', `${p}c`, 'live', r5, 1],
    ]);
    expect(r1).toBeLessThan(r2);
    await reader.close();
  });

  it('watches a single key without its prefix siblings', async () => {
    const start = (await current()) + 1;
    const reader = new WatchReader(backend.watch('/registry/single/k', { startRevision: start }));
    await put('/registry/single/k2', 'no');
    const rev = await put('/registry/single/k', 'yes');
    const res = await reader.nextEvents();
    expect(res.events.map((e) => [e.kv.key, e.kv.modRevision])).toEqual([['/registry/single/k', rev]]);
    await reader.close();
  });

  it('includes previous values on update and delete when asked', async () => {
    const key = '/registry/prev/k';
    const start = (await current()) + 1;
    const reader = new WatchReader(backend.watch(key, { startRevision: start, prevKv: true }));
    const r1 = await put(key, 'one');
    const r2 = await put(key, 'two');
    const r3 = await del(key);
    const events = flat(await reader.collect(3));
    expect(events[0]!.prevKv).toBeNull();
    expect(dec(events[1]!.prevKv!.value)).toBe('one');
    expect(events[1]!.prevKv!.modRevision).toBe(r1);
    expect(events[2]).toMatchObject({ type: 'delete', kv: { key, modRevision: r3, version: 0 } });
    expect(dec(events[2]!.prevKv!.value)).toBe('two');
    expect(events[2]!.prevKv!.modRevision).toBe(r2);
    await reader.close();
  });

  it('delivers all deletes of one lease revocation in one response at one revision', async () => {
    const lease = await backend.grantLease(30);
    const start = (await current()) + 1;
    await backend.optimisticPut('/registry/lease-w/a', enc('a'), 0, { leaseId: lease.id });
    await backend.optimisticPut('/registry/lease-w/b', enc('b'), 0, { leaseId: lease.id });
    const reader = new WatchReader(backend.watch('/registry/lease-w/', { prefix: true, startRevision: start }));
    await reader.collect(2);
    await backend.revokeLease(lease.id);
    const res = await reader.nextEvents();
    expect(res.events.map((e) => [e.type, e.kv.key])).toEqual([
      ['delete', '/registry/lease-w/a'],
      ['delete', '/registry/lease-w/b'],
    ]);
    expect(new Set(res.events.map((e) => e.kv.modRevision))).toEqual(new Set([res.revision]));
    await reader.close();
  });
});

describe('backpressure', () => {
  it('loses nothing when the consumer reads long after many responses arrived', async () => {
    const p = '/registry/slow/';
    const start = (await current()) + 1;
    const reader = new WatchReader(backend.watch(p, { prefix: true, startRevision: start }));
    for (let i = 0; i < 200; i++) await backend.optimisticPut(`${p}${i}`, enc('v'), 0);
    await sleep(200);
    const events = (await reader.collect(200)).flatMap((r) => r.events);
    expect(events.map((e) => e.kv.modRevision)).toEqual(Array.from({ length: 200 }, (_, i) => start + i));
    await reader.close();
  });
});

describe('compaction', () => {
  it('fails the first next() with Compacted and the compact revision', async () => {
    const key = '/registry/wc/k';
    const r1 = await put(key, '1');
    const r2 = await put(key, '2');
    await backend.compact(r2);
    const reader = new WatchReader(backend.watch(key, { startRevision: r1 }));
    const err = await reader.next().catch((e: unknown) => e);
    expect(isBackendError(err, 'Compacted')).toBe(true);
    expect((err as BackendError).compactRevision).toBe(r2);
    expect((await reader.nextResult())?.done).toBe(true);

    const ok = new WatchReader(backend.watch(key, { startRevision: r2 }));
    expect((await ok.nextEvents()).revision).toBe(r2);
    await ok.close();
  });
});

describe('ending', () => {
  it('ends without error when the signal aborts, also while waiting', async () => {
    const controller = new AbortController();
    const reader = new WatchReader(backend.watch('/registry/abort/', { prefix: true, startRevision: (await current()) + 1, signal: controller.signal }));
    const pending = reader.nextResult(5_000);
    await sleep(100);
    controller.abort();
    expect((await pending)?.done).toBe(true);

    const already = AbortSignal.abort();
    const it2 = backend.watch('/registry/abort/', { startRevision: 1, signal: already })[Symbol.asyncIterator]();
    expect((await it2.next()).done).toBe(true);
  });

  it('stops when the consumer breaks out of for-await', async () => {
    const start = (await current()) + 1;
    await put('/registry/brk/a', '1');
    let seen = 0;
    for await (const res of backend.watch('/registry/brk/', { prefix: true, startRevision: start })) {
      seen += res.events.length;
      break;
    }
    expect(seen).toBe(1);
  });

  it('rejects bad options on the first next()', async () => {
    const bad = backend.watch('/registry/x', { startRevision: 0 })[Symbol.asyncIterator]();
    const err = await bad.next().catch((e: unknown) => e);
    expect(isBackendError(err, 'InvalidArgument')).toBe(true);
    const empty = backend.watch('', { startRevision: 1 })[Symbol.asyncIterator]();
    expect(isBackendError(await empty.next().catch((e: unknown) => e), 'InvalidArgument')).toBe(true);
  });

  it('ends open watches when the backend closes', async () => {
    const other = await backendFor(etcd.endpoint);
    const reader = new WatchReader(other.watch('/registry/closing/', { prefix: true, startRevision: (await current()) + 1 }));
    const pending = reader.nextResult(5_000);
    await sleep(100);
    await other.close();
    expect((await pending)?.done).toBe(true);
    const after = other.watch('/registry/closing/', { startRevision: 1 })[Symbol.asyncIterator]();
    expect(isBackendError(await after.next().catch((e: unknown) => e), 'Closed')).toBe(true);
  });
});

describe('progress', () => {
  it('answers requestProgress on every watch with the revision it has delivered (etcd 3.4.23 answers out of band)', async () => {
    expect(backend.capabilities.requestProgress).toBe(false);
    const start = (await current()) + 1;
    const a = new WatchReader(backend.watch('/registry/prog/a', { startRevision: start }));
    const b = new WatchReader(backend.watch('/registry/prog/', { prefix: true, startRevision: start }));
    await sleep(100); // let both streams be created
    const rev = await put('/registry/prog/b', 'x');
    expect((await b.nextEvents()).revision).toBe(rev);
    await backend.requestProgress();
    expect((await a.nextProgress(2_000)).revision).toBe(start - 1);
    expect((await b.nextProgress(2_000)).revision).toBe(rev);
    await a.close();
    await b.close();
  });

  it('never reports progress past events it has not delivered yet (catch-up from history)', async () => {
    const p = '/registry/catchup/';
    const start = (await current()) + 1;
    for (let i = 0; i < 20; i++) await put(`${p}${i}`, 'v');
    const reader = new WatchReader(backend.watch(p, { prefix: true, startRevision: start }));
    await backend.requestProgress(); // etcd 3.4 answers this before the backlog
    const seen: BackendWatchResponse[] = [];
    let events = 0;
    while (events < 20) {
      const res = await reader.next(3_000);
      if (res === undefined) throw new Error('watch stalled');
      seen.push(res);
      events += res.events.length;
    }
    let delivered = start - 1;
    for (const res of seen) {
      if (res.events.length === 0) {
        expect(res.revision).toBeLessThanOrEqual(delivered);
      } else {
        expect(res.events[0]!.kv.modRevision).toBeGreaterThan(delivered);
        delivered = res.revision;
      }
    }
    await reader.close();
  });

  it('sends periodic progress notifications only to watches that asked', async () => {
    const start = (await current()) + 1;
    const withNotify = new WatchReader(backend.watch('/registry/pn/', { prefix: true, startRevision: start, progressNotify: true }));
    const without = new WatchReader(backend.watch('/registry/pn/', { prefix: true, startRevision: start }));
    const rev = await put('/registry/other/pn', 'x');
    const progress = await withNotify.nextProgress(PROGRESS_INTERVAL_MS * 6);
    expect(progress.revision).toBeGreaterThanOrEqual(rev - 1);
    const later = await withNotify.nextProgress(PROGRESS_INTERVAL_MS * 6);
    expect(later.revision).toBe(rev);
    expect(await without.next(PROGRESS_INTERVAL_MS * 3)).toBeUndefined();
    await withNotify.close();
    await without.close();
  });
});
