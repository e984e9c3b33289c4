import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../src/storage/watch.js';
import { collected, memoryStore, outcome, pod } from './watch-helpers.js';

/** Reads one event and keeps only a weak reference to its object (in its own frame, so no local pins it). */
async function readRef(it: AsyncIterator<WatchEvent>): Promise<WeakRef<object>> {
  const next = await it.next();
  if (next.done) throw new Error('watch ended early');
  return new WeakRef(next.value.object);
}

describe('Store watch iteration', () => {
  it('two next() calls made before any event get the next two events, in order', async () => {
    const { store } = memoryStore();
    const w = await store.watch('/pods/ns/', { recursive: true, sendInitialEvents: false });
    const it = w[Symbol.asyncIterator]();
    const first = it.next();
    const second = it.next();
    await store.create('/pods/ns/a', pod('a'));
    await store.create('/pods/ns/b', pod('b'));
    expect(await outcome(first)).toEqual(['ADDED', 'a']);
    expect(await outcome(second)).toEqual(['ADDED', 'b']);
    w.stop();
  });

  it('next() calls still waiting when the watch stops all settle with done', async () => {
    const { store } = memoryStore();
    const w = await store.watch('/pods/ns/', { recursive: true, sendInitialEvents: false });
    const it = w[Symbol.asyncIterator]();
    const waiting = [it.next(), it.next(), it.next()];
    w.stop();
    for (const next of waiting) expect(await outcome(next)).toBe('done');
  });

  it('an event the consumer has read is no longer kept alive by the watch', async () => {
    const { store } = memoryStore();
    for (const name of ['a', 'b', 'c', 'd', 'e']) await store.create(`/pods/ns/${name}`, pod(name));
    const w = await store.watch('/pods/ns/', { recursive: true, resourceVersion: '0' });
    const it = w[Symbol.asyncIterator]();
    // Let the watch queue every initial event before the consumer reads any, as after a burst.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refs = [await readRef(it), await readRef(it), await readRef(it)];
    const alive = [];
    for (const ref of refs) alive.push(!(await collected(ref)));
    expect(alive).toEqual([false, false, false]);
    // The events not read yet are still there, in order.
    expect(await outcome(it.next())).toEqual(['ADDED', 'd']);
    expect(await outcome(it.next())).toEqual(['ADDED', 'e']);
    w.stop();
  });
});
