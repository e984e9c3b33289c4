import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { identityTransformer, type Transformer } from '../src/index.js';
import { drain, memoryStore, pod } from './watch-helpers.js';

const ITEMS = 2_000;

/** The identity transformer, counting the values it reads. */
function countingReads(): { transformer: Transformer; reads: () => number } {
  let reads = 0;
  return {
    reads: () => reads,
    transformer: {
      transformFromStorage: (data, context) => {
        reads++;
        return identityTransformer.transformFromStorage(data, context);
      },
      transformToStorage: (data, context) => identityTransformer.transformToStorage(data, context),
    },
  };
}

async function seeded() {
  const { backend, store } = memoryStore();
  const before = await store.getCurrentResourceVersion();
  for (let i = 0; i < ITEMS; i++) await store.create(`/pods/ns/p${String(i).padStart(5, '0')}`, pod(`p${i}`));
  return { backend, before };
}

/** How many values a watch over the seeded pods decoded in all, when stopped right after its first event. */
async function readsWhenStoppedAfterFirstEvent(resourceVersion: (beforeSeed: number) => string): Promise<number> {
  const { backend, before } = await seeded();
  const counter = countingReads();
  const { store } = memoryStore({ backend, transformer: counter.transformer });
  const w = await store.watch('/pods/ns/', { recursive: true, resourceVersion: resourceVersion(before) });
  const it = w[Symbol.asyncIterator]();
  expect((await it.next()).done).toBe(false);
  w.stop();
  await drain(w);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return counter.reads();
}

describe('stopping a watch stops its work', () => {
  it('stop() during the initial events stops decoding the rest of the page', async () => {
    // What was decoded is at most what the watch had queued (its high-water mark) when it stopped.
    expect(await readsWhenStoppedAfterFirstEvent(() => '0')).toBeLessThan(ITEMS / 10);
  });

  it('stop() while replaying a long history stops decoding the remaining events', async () => {
    // The memory driver sends one revision per response; etcd batches many, which the same check covers.
    expect(await readsWhenStoppedAfterFirstEvent(String)).toBeLessThan(ITEMS / 10);
  });
});

describe('a shared AbortSignal', () => {
  it('20 watches on one signal add one abort listener, print no warning, and all end when it aborts', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const { store } = memoryStore();
      const shutdown = new AbortController();
      const watches = await Promise.all(
        Array.from({ length: 20 }, () => store.watch('/pods/ns/', { recursive: true, signal: shutdown.signal })),
      );
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(1);
      shutdown.abort();
      const ended = await Promise.all(watches.map((w) => drain(w)));
      expect(ended.map((events) => events.length)).toEqual(watches.map(() => 0));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('a watch stopped on its own no longer listens to the shared signal', async () => {
    const { store } = memoryStore();
    const shutdown = new AbortController();
    const w = await store.watch('/pods/ns/', { recursive: true, signal: shutdown.signal });
    w.stop();
    await drain(w);
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });
});
