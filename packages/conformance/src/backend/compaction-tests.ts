import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { currentRevision, expectBackendError, openBackend, put, remove, summary, text, uniquePrefix } from './support.js';
import { startWatch } from './watch-collector.js';

/**
 * Compaction: reads and watches below the floor fail `Compacted` carrying `compactRevision`; reads at or above
 * it still work. Applies when `capabilities.compaction`; otherwise compact() must not silently lose history.
 *
 * @example
 * describe('my driver', () => backendCompactionTests({ name: 'mine', createBackend }));
 */
export function backendCompactionTests(target: ConformanceTarget): void {
  describe('compaction', () => {
    it('reads below the floor fail Compacted; reads at or above it still work', async (ctx) => {
      const backend = await openBackend(target, ctx, 'compaction');
      const p = uniquePrefix('compact');
      const r1 = await put(backend, `${p}a`, '1');
      const r2 = await put(backend, `${p}a`, '2');
      await put(backend, `${p}b`, '1');
      const r4 = await put(backend, `${p}a`, '3');
      await backend.compact(r2 + 1);
      const floor = r2 + 1;

      const getErr = await expectBackendError(backend.get(`${p}a`, { revision: r1 }), 'Compacted', 'get below the floor');
      expect(getErr.compactRevision, 'the error carries compactRevision').toBe(floor);
      const listErr = await expectBackendError(backend.list(p, { revision: r2 }), 'Compacted', 'list below the floor');
      expect(listErr.compactRevision).toBe(floor);

      const atFloor = await backend.list(p, { revision: floor });
      expect(atFloor.kvs.map((kv) => [kv.key, text(kv.value)]), 'list at the floor').toEqual([
        [`${p}a`, '2'],
        [`${p}b`, '1'],
      ]);
      expect(summary((await backend.get(`${p}a`, { revision: floor })).kv)?.modRevision).toBe(r2);
      expect(summary((await backend.get(`${p}a`)).kv)?.modRevision).toBe(r4);
      const status = await backend.status();
      expect(status.compactRevision).toBe(floor);
      expect(status.revision, 'compaction takes no revision').toBe(r4);
      expect(await put(backend, `${p}c`, '1'), 'writes continue densely').toBe(r4 + 1);
    });

    it('a watch starting below the floor fails its first next() with Compacted', async (ctx) => {
      const backend = await openBackend(target, ctx, 'compaction');
      const p = uniquePrefix('compact');
      const r1 = await put(backend, `${p}a`, '1');
      await put(backend, `${p}a`, '2');
      const r3 = await remove(backend, `${p}a`);
      await backend.compact(r3);

      const iterator = backend.watch(p, { prefix: true, startRevision: r1 })[Symbol.asyncIterator]();
      const err = await expectBackendError(iterator.next(), 'Compacted', 'watch from below the floor');
      expect(err.compactRevision).toBe(r3);
      await iterator.return?.();

      // Above the floor the history is intact.
      const r4 = await put(backend, `${p}a`, '3');
      const watch = startWatch(ctx, backend, p, { prefix: true, startRevision: r3 + 1 });
      await watch.waitForEvents(1);
      expect(watch.events.map((e) => [e.type, e.kv.modRevision])).toEqual([['put', r4]]);
    });

    it('compact at or below the floor fails Compacted; beyond the current revision FutureRevision', async (ctx) => {
      const backend = await openBackend(target, ctx, 'compaction');
      const p = uniquePrefix('compact');
      const r1 = await put(backend, `${p}a`, '1');
      const r2 = await put(backend, `${p}a`, '2');
      await backend.compact(r2);
      const below = await expectBackendError(backend.compact(r1), 'Compacted', 'compact below the floor');
      expect(below.compactRevision).toBe(r2);
      await expectBackendError(backend.compact(r2), 'Compacted', 'compact at the floor again');
      await expectBackendError(backend.compact(r2 + 1), 'FutureRevision', 'compact beyond the current revision');
      expect(await backend.status()).toMatchObject({ revision: r2, compactRevision: r2 });
    });

    it('a backend without compaction keeps its history or refuses compact() with a BackendError', async (ctx) => {
      const backend = await target.createBackend();
      try {
        if (backend.capabilities.compaction) return ctx.skip('backend declares capabilities.compaction');
        const p = uniquePrefix('compact');
        const r1 = await put(backend, `${p}a`, '1');
        await put(backend, `${p}a`, '2');
        const current = await currentRevision(backend);
        let refused: unknown;
        await backend.compact(current).catch((err: unknown) => (refused = err));
        if (refused !== undefined) {
          expect((refused as { name?: string }).name, `compact() refusal: ${String(refused)}`).toBe('BackendError');
        }
        expect(text((await backend.get(`${p}a`, { revision: r1 })).kv!.value), 'history survives').toBe('1');
        expect((await backend.status()).compactRevision).toBe(0);
      } finally {
        await backend.close();
      }
    });
  });
}
