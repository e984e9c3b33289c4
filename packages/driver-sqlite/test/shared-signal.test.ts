import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enc, openTemp, type Opened } from './helpers.js';

describe('one shutdown signal shared by many watches', () => {
  let t: Opened;
  beforeEach(async () => {
    t = await openTemp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('adds one abort listener however many watches share it, and ends them all on abort', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const shutdown = new AbortController();
      const watches = Array.from({ length: 20 }, () =>
        t.backend.watch('/p/', { prefix: true, startRevision: 1, signal: shutdown.signal })[Symbol.asyncIterator](),
      );
      const firsts = watches.map((w) => w.next());
      await t.backend.optimisticPut('/p/a', enc('x'), 0);
      for (const first of await Promise.all(firsts)) expect(first.value?.events[0]?.kv.key).toBe('/p/a');
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(1);
      shutdown.abort();
      for (const w of watches) expect((await w.next()).done).toBe(true);
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
