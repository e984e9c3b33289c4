import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { bytes, currentRevision, openBackend, put, remove, uniquePrefix } from './support.js';

/**
 * Revision rules: one dense, global, strictly increasing revision; every successful put or delete takes exactly
 * the next one; reads, failed compares and deletes of absent keys take none.
 *
 * @example
 * describe('my driver', () => backendRevisionTests({ name: 'mine', createBackend }));
 */
export function backendRevisionTests(target: ConformanceTarget): void {
  describe('revisions', () => {
    it('a fresh backend reports a revision and its first write takes the next one', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const status = await backend.status();
      expect(Number.isSafeInteger(status.revision) && status.revision >= 0, `revision ${status.revision}`).toBe(true);
      const prefix = uniquePrefix('rev');
      const result = await backend.optimisticPut(`${prefix}first`, bytes('v'), 0);
      expect(result).toMatchObject({ succeeded: true, revision: status.revision + 1 });
    });

    it('every successful put and delete takes exactly the next revision, across keys and prefixes', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('rev');
      let expected = await currentRevision(backend);
      const steps: Array<() => Promise<number>> = [
        () => put(backend, `${p}a`, '1'),
        () => put(backend, `${p}b`, '1'),
        () => put(backend, `${p}a`, '2'),
        () => put(backend, `${p}other/c`, '1'),
        () => remove(backend, `${p}b`),
        () => put(backend, `${p}b`, 'again'),
        () => remove(backend, `${p}a`),
        () => put(backend, `/registry/conformance-elsewhere-${p.slice(-9, -1)}`, 'x'),
      ];
      for (const step of steps) {
        const revision = await step();
        expected += 1;
        expect(revision, 'the write revision').toBe(expected);
        expect(await currentRevision(backend), 'status().revision after the write').toBe(expected);
      }
      const { kv } = await backend.get(`${p}b`);
      expect(kv?.modRevision).toBe(expected - 2);
    });

    it('reads, failed compares and deletes of absent keys take no revision', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('rev');
      const first = await put(backend, `${p}a`, '1');
      const second = await put(backend, `${p}a`, '2');
      const before = await currentRevision(backend);
      expect(before).toBe(second);

      const get = await backend.get(`${p}a`);
      expect(get.revision, 'get().revision is the current revision').toBe(before);
      await backend.get(`${p}missing`);
      await backend.get(`${p}a`, { revision: first });
      const list = await backend.list(p);
      expect(list.revision, 'list().revision is the current revision').toBe(before);
      await backend.list(p, { limit: 1 });
      await backend.list(p, { revision: first });
      await backend.count(p);
      await backend.status();

      const stalePut = await backend.optimisticPut(`${p}a`, bytes('x'), first);
      expect(stalePut).toMatchObject({ succeeded: false, revision: before });
      const createExisting = await backend.optimisticPut(`${p}a`, bytes('x'), 0, { getOnFailure: true });
      expect(createExisting).toMatchObject({ succeeded: false, revision: before });
      const updateAbsent = await backend.optimisticPut(`${p}missing`, bytes('x'), second);
      expect(updateAbsent).toMatchObject({ succeeded: false, revision: before });
      const staleDelete = await backend.optimisticDelete(`${p}a`, first, { getOnFailure: true });
      expect(staleDelete).toMatchObject({ succeeded: false, revision: before });
      const deleteAbsent = await backend.optimisticDelete(`${p}missing`, second);
      expect(deleteAbsent).toMatchObject({ succeeded: false, revision: before });
      const deleteAbsentUnconditionally = await backend.optimisticDelete(`${p}missing`, 0);
      expect(deleteAbsentUnconditionally.revision, 'deleting an absent key writes nothing').toBe(before);

      expect(await currentRevision(backend), 'status().revision after reads and failed writes').toBe(before);
      expect(await put(backend, `${p}b`, '1'), 'the next write').toBe(before + 1);
    });

    it('concurrent writers get distinct, dense revisions', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('rev');
      const start = await currentRevision(backend);
      const writers = 5;
      const writesEach = 20;
      const revisions = (
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            const mine: number[] = [];
            let mod = 0;
            for (let i = 0; i < writesEach; i++) {
              const result = await backend.optimisticPut(`${p}w${w}`, bytes(String(i)), mod);
              expect(result.succeeded).toBe(true);
              mod = result.revision;
              mine.push(result.revision);
            }
            return mine;
          }),
        )
      ).flat();
      const total = writers * writesEach;
      expect([...revisions].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => start + 1 + i));
      expect(await currentRevision(backend)).toBe(start + total);
    });
  });
}
