import { newResourceVersionConflictsError } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { pod, type Pod } from './fixtures.js';
import { captureError, currentRevision, openStore } from './store-helpers.js';

const KEY = '/pods/test-ns/foo';

/** Kubernetes RunTestGuaranteedUpdateWithConflict and RunTestGuaranteedUpdateWithSuggestionAndConflict. */
export function storeUpdateConflictTests(target: ConformanceTarget): void {
  describe('guaranteedUpdate conflicts', () => {
    it.concurrent('a concurrent write makes the loser re-run tryUpdate once on the new object', async (t) => {
      const ctx = await openStore(t, target);
      await ctx.store.create(KEY, pod('test-ns', 'foo'));

      let secondEntered!: () => void;
      const secondInside = new Promise<void>((resolve) => {
        secondEntered = resolve;
      });
      const first = ctx.store.guaranteedUpdate(KEY, {
        tryUpdate: async (cur) => {
          await secondInside;
          return { ...cur, metadata: { ...cur.metadata, labels: { first: '1' } } };
        },
      });

      let secondCalls = 0;
      const second = await ctx.store.guaranteedUpdate(KEY, {
        tryUpdate: async (cur) => {
          if (secondCalls === 0) {
            secondEntered();
            await first;
          }
          secondCalls++;
          return { ...cur, metadata: { ...cur.metadata, annotations: { second: '2' } } };
        },
      });
      await first;

      expect(secondCalls, 'tryUpdate runs again after the conflict').toBe(2);
      expect(second.metadata.labels, 'the retry saw the winner’s write').toEqual({ first: '1' });
      expect(second.metadata.annotations).toEqual({ second: '2' });
      expect(await ctx.store.get(KEY)).toEqual(second);
    });

    it.concurrent('a stale suggestion whose tryUpdate reports a conflict is retried on the live object', async (t) => {
      const ctx = await openStore(t, target);
      const original = await ctx.store.create(KEY, pod('test-ns', 'foo'));
      await ctx.store.guaranteedUpdate(KEY, {
        tryUpdate: (cur) => ({ ...cur, metadata: { ...cur.metadata, generation: 2 } }),
      });

      let conflicts = 0;
      const updated = await ctx.store.guaranteedUpdate(KEY, {
        cachedExistingObject: original,
        tryUpdate: (cur) => {
          if (cur.metadata.generation !== 2) {
            conflicts++;
            if (conflicts > 1) throw new Error('unexpected second conflict');
            throw newResourceVersionConflictsError(KEY, 0);
          }
          return { ...cur, metadata: { ...cur.metadata, generation: 3 } };
        },
      });
      expect(conflicts, 'the stale suggestion was tried first').toBe(1);
      expect(updated.metadata.generation).toBe(3);

      // A fresh suggestion whose tryUpdate fails: the live read shows the hint was current, so no retry.
      let attempts = 0;
      const before = await currentRevision(ctx);
      const failure = new Error('validation or admission error');
      const err = await captureError(
        ctx.store.guaranteedUpdate(KEY, {
          cachedExistingObject: updated,
          tryUpdate: (): Pod => {
            attempts++;
            throw failure;
          },
        }),
      );
      expect(err).toBe(failure);
      expect(attempts).toBeLessThanOrEqual(2);
      expect(await currentRevision(ctx)).toBe(before);
    });
  });
}
