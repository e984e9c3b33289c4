import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, isBackendError, type BackendWatchResponse } from '@storagebackend/core';
import { Reader, dec, enc, openTemp, takeEvents, type Opened } from './helpers.js';

const iter = (iterable: AsyncIterable<BackendWatchResponse>): AsyncIterator<BackendWatchResponse> => iterable[Symbol.asyncIterator]();

describe('watch', () => {
  let t: Opened;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    t = await openTemp({ clock, progressNotifyIntervalMs: 1000 });
  });
  afterEach(async () => {
    await t.close();
  });

  it('replays history from startRevision, then follows live writes, in order without duplicates', async () => {
    const b = t.backend;
    await b.optimisticPut('/w/a', enc('a1'), 0); // 2
    await b.optimisticPut('/x/other', enc('o'), 0); // 3
    await b.optimisticPut('/w/a', enc('a2'), 2); // 4
    await b.optimisticDelete('/w/a', 4); // 5
    const it = iter(b.watch('/w/', { prefix: true, startRevision: 3, prevKv: true }));
    const first = await takeEvents(it, 2);
    expect(first.events.map((e) => [e.type, e.kv.modRevision])).toEqual([
      ['put', 4],
      ['delete', 5],
    ]);
    expect(dec(first.events[0]!.prevKv!.value)).toBe('a1');
    expect(first.events[1]!.kv).toEqual({ key: '/w/a', value: new Uint8Array(0), createRevision: 0, modRevision: 5, version: 0, lease: '0' });
    expect(first.events[1]!.prevKv).toMatchObject({ modRevision: 4, version: 2 });

    const writes = Promise.all([b.optimisticPut('/w/b', enc('b'), 0), b.optimisticPut('/x/y', enc('y'), 0), b.optimisticPut('/w/c', enc('c'), 0)]);
    await writes;
    const live = await takeEvents(it, 2);
    expect(live.events.map((e) => [e.kv.key, e.kv.modRevision, e.prevKv])).toEqual([
      ['/w/b', 6, null],
      ['/w/c', 8, null],
    ]);
    await it.return!();
  });

  it('a single-key watch sees only that key and omits prevKv unless asked', async () => {
    const b = t.backend;
    await b.optimisticPut('/k', enc('1'), 0);
    await b.optimisticPut('/k2', enc('x'), 0);
    await b.optimisticPut('/k', enc('2'), 2);
    const it = iter(b.watch('/k', { startRevision: 1 }));
    const { events } = await takeEvents(it, 2);
    expect(events.map((e) => [e.kv.key, e.kv.modRevision, e.prevKv])).toEqual([
      ['/k', 2, null],
      ['/k', 4, null],
    ]);
    await it.return!();
  });

  it('a compacted start revision fails the first next() with Compacted, then the watch is done', async () => {
    const b = t.backend;
    for (let i = 0; i < 5; i++) await b.optimisticPut(`/c/${i}`, enc('v'), 0);
    await b.compact(4);
    const it = iter(b.watch('/c/', { prefix: true, startRevision: 3 }));
    const err = await it.next().catch((e: unknown) => e);
    expect(isBackendError(err, 'Compacted')).toBe(true);
    expect((err as { compactRevision: number }).compactRevision).toBe(4);
    expect(await it.next()).toEqual({ done: true, value: undefined });
    const ok = await takeEvents(iter(b.watch('/c/', { prefix: true, startRevision: 4 })), 3);
    expect(ok.events.map((e) => e.kv.modRevision)).toEqual([4, 5, 6]);
  });

  it('a watch from the compaction floor still sees a delete at exactly that revision', async () => {
    const b = t.backend;
    await b.optimisticPut('/d/a', enc('v'), 0); // 2
    await b.optimisticDelete('/d/a', 2); // 3
    await b.optimisticPut('/d/b', enc('v'), 0); // 4
    await b.compact(3);
    const { events } = await takeEvents(iter(b.watch('/d/', { prefix: true, startRevision: 3 })), 2);
    expect(events.map((e) => [e.type, e.kv.key, e.kv.modRevision])).toEqual([
      ['delete', '/d/a', 3],
      ['put', '/d/b', 4],
    ]);
  });

  it('replayed prevKv follows etcd after compaction: none at the floor, the retained version above it', async () => {
    const b = t.backend;
    await b.optimisticPut('/v/a', enc('a1'), 0); // 2
    await b.optimisticPut('/v/b', enc('b1'), 0); // 3
    await b.optimisticPut('/v/a', enc('a2'), 2); // 4
    await b.optimisticPut('/v/b', enc('b2'), 3); // 5
    await b.compact(4);
    const { events } = await takeEvents(iter(b.watch('/v/', { prefix: true, startRevision: 4, prevKv: true })), 2);
    expect(events.map((e) => [e.kv.key, e.kv.modRevision, e.prevKv && dec(e.prevKv.value)])).toEqual([
      ['/v/a', 4, null],
      ['/v/b', 5, 'b1'],
    ]);
  });

  it('aborting the signal ends a waiting watch cleanly', async () => {
    const controller = new AbortController();
    const it = iter(t.backend.watch('/a', { startRevision: 1, signal: controller.signal }));
    const pending = it.next();
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await it.next()).toEqual({ done: true, value: undefined });
    const aborted = iter(t.backend.watch('/a', { startRevision: 1, signal: AbortSignal.abort() }));
    expect(await aborted.next()).toEqual({ done: true, value: undefined });
  });

  it('rejects a start revision below 1 on the first next()', async () => {
    const err = await iter(t.backend.watch('/a', { startRevision: 0 })).next().catch((e: unknown) => e);
    expect(isBackendError(err, 'InvalidArgument')).toBe(true);
  });

  it('a future start revision delivers nothing before it and everything from it; progress waits for it', async () => {
    const b = t.backend;
    const reader = new Reader(b.watch('/f/', { prefix: true, startRevision: 4 }));
    await b.requestProgress();
    expect(await reader.within(30)).toBe('timeout');
    await b.optimisticPut('/f/0', enc('v'), 0); // 2
    expect(await reader.within(30)).toBe('timeout');
    await b.optimisticPut('/f/1', enc('v'), 0); // 3
    expect(await reader.within(1000)).toEqual({ done: false, value: { revision: 3, events: [], progressNotify: true } });
    for (let i = 2; i < 4; i++) await b.optimisticPut(`/f/${i}`, enc('v'), 0); // 4, 5
    const events = await reader.events(2);
    expect(events.map((e) => e.kv.modRevision)).toEqual([4, 5]);
  });

  it('progressNotify sends the revision to idle watches on the clock; requestProgress answers every watch', async () => {
    const b = t.backend;
    await b.optimisticPut('/other', enc('v'), 0); // 2
    const notify = new Reader(b.watch('/p/', { prefix: true, startRevision: 1, progressNotify: true }));
    const plain = new Reader(b.watch('/q', { startRevision: 1 }));
    expect(await notify.within(50)).toBe('timeout');
    clock.advance(1000);
    expect(await notify.within(1000)).toEqual({ done: false, value: { revision: 2, events: [], progressNotify: true } });
    expect(await plain.within(50)).toBe('timeout');
    await b.optimisticPut('/other', enc('v'), 2); // 3
    await b.requestProgress();
    expect(await plain.within(1000)).toEqual({ done: false, value: { revision: 3, events: [], progressNotify: true } });
    expect(await notify.within(1000)).toEqual({ done: false, value: { revision: 3, events: [], progressNotify: true } });
    // A watch that just received events gets no periodic notification for that interval.
    await b.optimisticPut('/p/x', enc('v'), 0); // 4
    expect(await notify.within(1000)).toMatchObject({ value: { revision: 4 } });
    clock.advance(1000);
    expect(await notify.within(50)).toBe('timeout');
    clock.advance(1000);
    expect(await notify.within(1000)).toMatchObject({ value: { revision: 4, progressNotify: true } });
  });

  it('a reader far behind loses nothing: it falls back to history and catches up in order', async () => {
    const b = t.backend;
    const reader = new Reader(b.watch('/s/', { prefix: true, startRevision: 2 }));
    expect(await reader.within(10)).toBe('timeout');
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 12_000; i++) writes.push(b.optimisticPut(`/s/${i}`, enc('v'), 0));
    await Promise.all(writes);
    const events = await reader.events(12_000, 20_000);
    expect(events).toHaveLength(12_000);
    events.forEach((e, i) => expect(e.kv.modRevision).toBe(i + 2));
  });

  it('a requested progress notification is not lost when the reader falls so far behind that the watch re-reads history', async () => {
    const b = t.backend;
    const it = iter(b.watch('/s/', { prefix: true, startRevision: 2 }));
    await b.optimisticPut('/s/first', enc('v'), 0); // 2
    expect((await takeEvents(it, 1)).events[0]!.kv.modRevision).toBe(2);
    // Queued behind nothing: the reader is not waiting, so the answer sits in the watch's queue.
    await b.requestProgress();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 10_500; i++) writes.push(b.optimisticPut(`/s/${i}`, enc('v'), 0));
    await Promise.all(writes); // 3 .. 10502
    const responses: BackendWatchResponse[] = [];
    let events = 0;
    while (!responses.some((r) => r.progressNotify)) {
      const next = await Promise.race([it.next(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 2000))]);
      if (next === 'timeout') throw new Error(`no progress notification after ${events} events`);
      if (next.done) throw new Error('watch ended');
      responses.push(next.value);
      events += next.value.events.length;
    }
    const progress = responses.find((r) => r.progressNotify)!;
    expect(progress.events).toEqual([]);
    // Whatever revision it names, every event up to it has been delivered, and none is lost or repeated.
    expect(events).toBe(progress.revision - 2);
    const rest = events < 10_500 ? await takeEvents(it, 10_500 - events) : { events: [] };
    expect(events + rest.events.length).toBe(10_500);
    await it.return!();
  });

  it('close ends open watches', async () => {
    const it = iter(t.backend.watch('/a', { startRevision: 1 }));
    const pending = it.next();
    await new Promise((r) => setTimeout(r, 10));
    await t.backend.close();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
