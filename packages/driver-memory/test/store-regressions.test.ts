import { describe, expect, it } from 'vitest';
import { BackendError, Compactor, createStore, isInternalError, type Backend } from '@storagebackend/core';
import { MemoryBackend } from '../src/index.js';

function store(backend = new MemoryBackend({ progressNotifyIntervalMs: 50 })) {
  return { backend, store: createStore({ backend, prefix: '/registry', resourcePrefix: '/pods/' }) };
}

describe('Store regressions found in review', () => {
  it('a tryUpdate that returns nothing fails with a TypeError instead of spinning', async () => {
    const { store: s } = store();
    await s.create('/pods/ns/a', { metadata: { name: 'a' } });
    const attempt = s.guaranteedUpdate('/pods/ns/a', {
      tryUpdate: ((cur: { metadata: object; x?: number }) => {
        cur.x = 1;
      }) as never,
    });
    await expect(attempt).rejects.toThrow(TypeError);
    await expect(attempt).rejects.toThrow('must return the updated object');
  });

  it('watches sharing one long-lived signal do not leave abort listeners behind', async () => {
    const { store: s } = store();
    const shutdown = new AbortController();
    const listeners = new Set<unknown>();
    const add = shutdown.signal.addEventListener.bind(shutdown.signal);
    const remove = shutdown.signal.removeEventListener.bind(shutdown.signal);
    shutdown.signal.addEventListener = ((type: string, fn: unknown, o?: unknown) => {
      listeners.add(fn);
      add(type, fn as never, o as never);
    }) as typeof add;
    shutdown.signal.removeEventListener = ((type: string, fn: unknown) => {
      listeners.delete(fn);
      remove(type, fn as never);
    }) as typeof remove;
    for (let i = 0; i < 20; i++) {
      const w = await s.watch('/pods/', { recursive: true, signal: shutdown.signal });
      w.stop();
    }
    expect(listeners.size).toBe(0);
  });

  it('a progress BOOKMARK never claims less than the revision the watch started from', async () => {
    const { store: s } = store();
    const created = await s.create('/pods/ns/a', { metadata: { name: 'a' } });
    const from = String(Number(created.metadata.resourceVersion) + 5);
    const w = await s.watch('/pods/', { recursive: true, resourceVersion: from, progressNotify: true });
    await s.requestWatchProgress();
    const it = w[Symbol.asyncIterator]();
    const first = await Promise.race([it.next(), new Promise<'quiet'>((r) => setTimeout(() => r('quiet'), 300))]);
    if (first !== 'quiet' && !first.done) {
      expect(Number(first.value.object.metadata?.resourceVersion)).toBeGreaterThanOrEqual(Number(from));
    }
    w.stop();
  });

  it('a watch requested while the store closes is refused, not left running', async () => {
    const { store: s } = store();
    const pending = s.watch('/pods/', { recursive: true, sendInitialEvents: false });
    await s.close();
    const result = await pending.then(
      (w) => w,
      (e: unknown) => e,
    );
    expect(isInternalError(result)).toBe(true);
  });

  it('a failed physical compaction keeps the shared clock and reports no compaction', async () => {
    const backend = new MemoryBackend();
    let fail = true;
    const compact = backend.compact.bind(backend);
    const flaky: Backend = Object.assign(backend, {
      compact: async (rev: number) => {
        if (fail) throw new BackendError('Unreachable', 'etcd is down');
        await compact(rev);
      },
    });
    const compactor = new Compactor(flaky, { intervalMs: 0 });
    for (let i = 0; i < 3; i++) await flaky.optimisticPut(`/k${i}`, new Uint8Array([1]), 0);
    await compactor.tick(); // bootstrap: records the revision
    await expect(compactor.tick()).rejects.toThrow('compaction failed');
    expect(compactor.compactRevision()).toBe(0);
    expect((await flaky.status()).compactRevision).toBe(0);
    fail = false;
    // The next tick wins the race against its own earlier write, and compacts for real.
    const after = await compactor.tick();
    expect(after).toBeGreaterThan(0);
    expect((await flaky.status()).compactRevision).toBe(after);
  });
});
