import { ManualClock } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../src/index.js';
import { bytes, nextOrPending, take } from './helpers.js';

const PROGRESS = { events: [], progressNotify: true };

describe('requestProgress', () => {
  it('an idle, caught-up watch emits a progress response at the current revision at once', async () => {
    const backend = new MemoryBackend();
    await backend.optimisticPut('/other', bytes('x'), 0);
    const watch = backend.watch('/p/', { prefix: true, startRevision: 0 })[Symbol.asyncIterator]();
    expect(await nextOrPending(watch)).toBe('pending');
    await backend.requestProgress();
    expect(await nextOrPending(watch)).toEqual({ done: false, value: { revision: 2, ...PROGRESS } });
    expect(await nextOrPending(watch)).toBe('pending');
    await backend.close();
  });

  it('a watch that is behind delivers its events before the progress response', async () => {
    const backend = new MemoryBackend();
    const watch = backend.watch('/p/', { prefix: true, startRevision: 2 })[Symbol.asyncIterator]();
    for (const k of ['a', 'b']) await backend.optimisticPut(`/p/${k}`, bytes(k), 0);
    await backend.optimisticPut('/elsewhere', bytes('x'), 0);
    await backend.requestProgress();
    const responses = await take(watch, 3);
    expect(responses.map((r) => [r.revision, r.events.length, r.progressNotify ?? false])).toEqual([
      [2, 1, false],
      [3, 1, false],
      [4, 0, true],
    ]);
    await backend.close();
  });
});

describe('periodic progress notifications', () => {
  it('an idle watch with progressNotify gets one per interval; one without it gets none', async () => {
    const clock = new ManualClock();
    const backend = new MemoryBackend({ clock, progressNotifyIntervalMs: 1_000 });
    const notified = backend.watch('/p/', { prefix: true, startRevision: 0, progressNotify: true })[Symbol.asyncIterator]();
    const quiet = backend.watch('/p/', { prefix: true, startRevision: 0 })[Symbol.asyncIterator]();
    clock.advance(999);
    expect(await nextOrPending(notified)).toBe('pending');
    clock.advance(1);
    expect(await nextOrPending(notified)).toEqual({ done: false, value: { revision: 1, ...PROGRESS } });
    clock.advance(1_000);
    expect(await nextOrPending(notified)).toEqual({ done: false, value: { revision: 1, ...PROGRESS } });
    expect(await nextOrPending(quiet)).toBe('pending');
    await backend.close();
  });

  it('an interval in which events were delivered sends no progress response', async () => {
    const clock = new ManualClock();
    const backend = new MemoryBackend({ clock, progressNotifyIntervalMs: 1_000 });
    const watch = backend.watch('/p/', { prefix: true, startRevision: 0, progressNotify: true })[Symbol.asyncIterator]();
    clock.advance(500);
    const put = await backend.optimisticPut('/p/a', bytes('x'), 0);
    expect((await watch.next()).value?.revision).toBe(put.revision);
    clock.advance(500);
    expect(await nextOrPending(watch)).toBe('pending');
    clock.advance(1_000);
    expect(await nextOrPending(watch)).toEqual({ done: false, value: { revision: put.revision, ...PROGRESS } });
    await backend.close();
  });

  it('aborted watches stop their progress timers', async () => {
    const clock = new ManualClock();
    const backend = new MemoryBackend({ clock, progressNotifyIntervalMs: 1_000 });
    const controller = new AbortController();
    const watch = backend
      .watch('/p/', { prefix: true, startRevision: 0, progressNotify: true, signal: controller.signal })
      [Symbol.asyncIterator]();
    controller.abort();
    clock.advance(5_000);
    expect(await watch.next()).toEqual({ done: true, value: undefined });
    await backend.close();
  });
});
