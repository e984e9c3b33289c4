import type { BackendWatchResponse } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import { MAX_COMPACTED_BACKLOG_EVENTS, MemoryBackend } from '../src/index.js';
import { bytes, expectCode, nextOrPending, take, text } from './helpers.js';

const revisionsOf = (responses: readonly BackendWatchResponse[]) => responses.flatMap((r) => r.events.map((e) => e.kv.modRevision));

describe('watch', () => {
  it('replays history from startRevision, then hands over to live events under concurrent writers', async () => {
    const backend = new MemoryBackend();
    const early = await backend.optimisticPut('/w/early', bytes('x'), 0);
    const live = backend.watch('/w/', { prefix: true, startRevision: early.revision })[Symbol.asyncIterator]();
    const writers = Array.from({ length: 4 }, async (_, w) => {
      let mod = 0;
      for (let i = 0; i < 50; i++) {
        mod = (await backend.optimisticPut(`/w/${w}`, bytes(String(i)), mod)).revision;
        if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    });
    const firstBatch = await take(live, 30);
    // A second watch joins mid-stream and replays from the same start.
    const late = backend.watch('/w/', { prefix: true, startRevision: early.revision })[Symbol.asyncIterator]();
    await Promise.all(writers);
    const expected = Array.from({ length: 201 }, (_, i) => early.revision + i);
    expect(revisionsOf([...firstBatch, ...(await take(live, 171))])).toEqual(expected);
    const lateResponses = await take(late, 201);
    expect(revisionsOf(lateResponses)).toEqual(expected);
    expect(lateResponses.every((r) => r.revision === r.events[0]!.kv.modRevision)).toBe(true);
    expect(await nextOrPending(live)).toBe('pending');
    await backend.close();
  });

  it('startRevision 0 means from the next write', async () => {
    const backend = new MemoryBackend();
    await backend.optimisticPut('/w/a', bytes('old'), 0);
    const watch = backend.watch('/w/', { prefix: true, startRevision: 0 })[Symbol.asyncIterator]();
    const next = await backend.optimisticPut('/w/b', bytes('new'), 0);
    expect(revisionsOf(await take(watch, 1))).toEqual([next.revision]);
    await backend.close();
  });

  it('prevKv is null on create and the previous value otherwise; deletes look like etcd tombstones', async () => {
    const backend = new MemoryBackend();
    const withPrev = backend.watch('/w/a', { startRevision: 2, prevKv: true })[Symbol.asyncIterator]();
    const without = backend.watch('/w/a', { startRevision: 2 })[Symbol.asyncIterator]();
    const c = await backend.optimisticPut('/w/a', bytes('one'), 0);
    const u = await backend.optimisticPut('/w/a', bytes('two'), c.revision);
    const d = await backend.optimisticDelete('/w/a', u.revision);
    const events = (await take(withPrev, 3)).flatMap((r) => r.events);
    expect(events[0]).toMatchObject({ type: 'put', prevKv: null, kv: { version: 1, createRevision: c.revision } });
    expect(text(events[1]!.prevKv!.value)).toBe('one');
    expect(events[1]!.kv).toMatchObject({ version: 2, modRevision: u.revision });
    expect(events[2]!.type).toBe('delete');
    expect(events[2]!.kv).toEqual({ key: '/w/a', value: new Uint8Array(0), createRevision: 0, modRevision: d.revision, version: 0, lease: '0' });
    expect(text(events[2]!.prevKv!.value)).toBe('two');
    expect((await take(without, 3)).flatMap((r) => r.events.map((e) => e.prevKv))).toEqual([null, null, null]);
    await backend.close();
  });

  it('a key watch sees only its key, a prefix watch only its prefix', async () => {
    const backend = new MemoryBackend();
    const key = backend.watch('/w/a', { startRevision: 2 })[Symbol.asyncIterator]();
    const prefix = backend.watch('/w/a/', { prefix: true, startRevision: 2 })[Symbol.asyncIterator]();
    for (const k of ['/w/ab', '/w/a/1', '/w/a', '/w/ab/1', '/w/a/2', '/w/b']) await backend.optimisticPut(k, bytes('x'), 0);
    expect((await take(key, 1)).flatMap((r) => r.events.map((e) => e.kv.key))).toEqual(['/w/a']);
    expect((await take(prefix, 2)).flatMap((r) => r.events.map((e) => e.kv.key))).toEqual(['/w/a/1', '/w/a/2']);
    expect(await nextOrPending(key)).toBe('pending');
    await backend.close();
  });

  it('a slow consumer loses nothing: 20k events written before the first read arrive in order', async () => {
    const backend = new MemoryBackend();
    const watch = backend.watch('/s/', { prefix: true, startRevision: 2 })[Symbol.asyncIterator]();
    let mod = 0;
    for (let i = 0; i < 20_000; i++) mod = (await backend.optimisticPut('/s/k', bytes(String(i)), mod)).revision;
    const revisions = revisionsOf(await take(watch, 20_000));
    expect(revisions[0]).toBe(2);
    expect(revisions.every((r, i) => r === 2 + i)).toBe(true);
    await backend.close();
  });

  it('concurrent next() calls resolve in order', async () => {
    const backend = new MemoryBackend();
    const watch = backend.watch('/c/', { prefix: true, startRevision: 2 })[Symbol.asyncIterator]();
    const pending = [watch.next(), watch.next(), watch.next()];
    for (const k of ['a', 'b', 'c']) await backend.optimisticPut(`/c/${k}`, bytes(k), 0);
    const results = await Promise.all(pending);
    expect(results.map((r) => r.value?.events[0]?.kv.key)).toEqual(['/c/a', '/c/b', '/c/c']);
    await backend.close();
  });
});

describe('watch and compaction', () => {
  it('a start below the floor fails the first next() with Compacted; at the floor it replays that revision', async () => {
    const backend = new MemoryBackend();
    const r = [];
    for (const k of ['a', 'b', 'c']) r.push((await backend.optimisticPut(`/k/${k}`, bytes(k), 0)).revision);
    await backend.compact(r[1]!);
    const below = backend.watch('/k/', { prefix: true, startRevision: r[0]! })[Symbol.asyncIterator]();
    const err = await expectCode(below.next(), 'Compacted');
    expect(err.compactRevision).toBe(r[1]);
    expect((await below.next()).done).toBe(true);
    const at = backend.watch('/k/', { prefix: true, startRevision: r[1]! })[Symbol.asyncIterator]();
    expect(revisionsOf(await take(at, 2))).toEqual([r[1], r[2]]);
    await backend.close();
  });

  it('a lagging watch keeps the events compaction removes from history', async () => {
    const backend = new MemoryBackend();
    const watch = backend.watch('/k/', { prefix: true, startRevision: 2, prevKv: true })[Symbol.asyncIterator]();
    let mod = 0;
    for (let i = 0; i < 10; i++) mod = (await backend.optimisticPut('/k/a', bytes(String(i)), mod)).revision;
    await backend.compact(mod);
    const events = (await take(watch, 10)).flatMap((r) => r.events);
    expect(events.map((e) => e.kv.modRevision)).toEqual(Array.from({ length: 10 }, (_, i) => 2 + i));
    expect(events.slice(1).every((e, i) => e.prevKv?.modRevision === 2 + i)).toBe(true);
    await backend.close();
  });

  it('a watch too far behind when its history is compacted ends with Compacted, like etcd cancels it', async () => {
    const backend = new MemoryBackend();
    const watch = backend.watch('/k/', { prefix: true, startRevision: 2 })[Symbol.asyncIterator]();
    let mod = 0;
    for (let i = 0; i <= MAX_COMPACTED_BACKLOG_EVENTS + 1; i++) mod = (await backend.optimisticPut('/k/a', bytes('x'), mod)).revision;
    await backend.compact(mod);
    expect((await expectCode(watch.next(), 'Compacted')).compactRevision).toBe(mod);
    expect((await watch.next()).done).toBe(true);
    await backend.close();
  });
});

describe('ending a watch', () => {
  it('aborting the signal resolves a pending next() as done and stops delivery', async () => {
    const backend = new MemoryBackend();
    const controller = new AbortController();
    const watch = backend.watch('/a/', { prefix: true, startRevision: 2, signal: controller.signal })[Symbol.asyncIterator]();
    const pending = watch.next();
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    await backend.optimisticPut('/a/x', bytes('x'), 0);
    expect((await watch.next()).done).toBe(true);
    await backend.close();
  });

  it('an already-aborted signal yields an iteration that ends at once', async () => {
    const backend = new MemoryBackend();
    await backend.optimisticPut('/a/x', bytes('x'), 0);
    const seen: unknown[] = [];
    for await (const r of backend.watch('/a/', { prefix: true, startRevision: 1, signal: AbortSignal.abort() })) seen.push(r);
    expect(seen).toEqual([]);
    await backend.close();
  });

  it('breaking out of for-await (return()) ends the watch; closing the backend ends the rest', async () => {
    const backend = new MemoryBackend();
    for (const k of ['x', 'y']) await backend.optimisticPut(`/a/${k}`, bytes(k), 0);
    for await (const r of backend.watch('/a/', { prefix: true, startRevision: 2 })) {
      expect(r.revision).toBe(2);
      break;
    }
    const open = backend.watch('/a/', { prefix: true, startRevision: 4 })[Symbol.asyncIterator]();
    const pending = open.next();
    await backend.close();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('a bad start revision fails the first next() with InvalidArgument', async () => {
    const backend = new MemoryBackend();
    await expectCode(backend.watch('/a/', { prefix: true, startRevision: -1 })[Symbol.asyncIterator]().next(), 'InvalidArgument');
    await expectCode(backend.watch('', { startRevision: 1 })[Symbol.asyncIterator]().next(), 'InvalidArgument');
    await backend.close();
  });
});
