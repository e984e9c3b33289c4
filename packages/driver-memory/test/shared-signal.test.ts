import { create } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import { memoryConfig } from './helpers.js';

describe('one shutdown signal shared by every call', () => {
  it('50 concurrent watches, TTL creates, gets and lists print no MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    const { storage, destroy } = await create(memoryConfig(null));
    try {
      const shutdown = new AbortController();
      const signal = shutdown.signal;
      const watches = await Promise.all(
        Array.from({ length: 50 }, () => storage.watch('/pods/', { recursive: true, signal })),
      );
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          storage.create(`/pods/ns/p${i}`, { metadata: { name: `p${i}` } }, { ttlSeconds: 60, signal }),
        ),
      );
      await Promise.all(Array.from({ length: 50 }, (_, i) => storage.get(`/pods/ns/p${i}`, { signal })));
      await Promise.all(Array.from({ length: 50 }, () => storage.getList('/pods/', { recursive: true, signal })));
      // Every watch still sees the writes, and the shared signal ends them all.
      const firsts = await Promise.all(watches.map(async (w) => (await w[Symbol.asyncIterator]().next()).value));
      expect(firsts.every((e) => e?.type === 'ADDED')).toBe(true);
      shutdown.abort();
      for (const w of watches) {
        const rest = [];
        for await (const e of w) rest.push(e);
        expect(rest.length).toBeLessThanOrEqual(49);
      }
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await destroy();
    }
  });
});
