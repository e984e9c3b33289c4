import { isInvalidObj, isNotFound } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import type { StorageTestContext } from './context.js';
import { pod, type Pod } from './fixtures.js';
import { captureError, currentRevision, openStore, rvNum } from './store-helpers.js';

const KEY = '/pods/test-ns/name';

function relabel(ctx: StorageTestContext, labels: Record<string, string>): Promise<Pod> {
  return ctx.store.guaranteedUpdate(KEY, { tryUpdate: (cur) => ({ ...cur, metadata: { ...cur.metadata, labels } }) });
}

async function expectGone(ctx: StorageTestContext): Promise<void> {
  const err = await captureError(ctx.store.get(KEY));
  expect(isNotFound(err), `the object should be deleted, got ${err}`).toBe(true);
}

/**
 * Kubernetes' delete-with-suggestion tests: `cachedExistingObject` is only a hint; a stale hint must never make a
 * delete succeed or fail on the wrong version, and validateDeletion must end up judging the live object.
 */
export function storeDeleteSuggestionTests(target: ConformanceTarget): void {
  describe('delete with a cached object (suggestion)', () => {
    it.concurrent('a fresh suggestion deletes', async (t) => {
      const ctx = await openStore(t, target);
      const original = await ctx.store.create(KEY, pod('test-ns', 'name'));
      await ctx.store.delete(KEY, { cachedExistingObject: original });
      await expectGone(ctx);
    });

    it.concurrent('a stale suggestion still deletes and returns the live object with the delete revision', async (t) => {
      const ctx = await openStore(t, target);
      const original = await ctx.store.create(KEY, pod('test-ns', 'name'));
      const updated = await relabel(ctx, { foo: 'bar' });
      const out = await ctx.store.delete(KEY, { cachedExistingObject: original });
      await expectGone(ctx);
      expect(rvNum(out)).toBe(await currentRevision(ctx));
      expect(out).toEqual({ ...updated, metadata: { ...updated.metadata, resourceVersion: out.metadata.resourceVersion } });
    });

    it.concurrent('an update made during validateDeletion makes the delete retry on the new version', async (t) => {
      const ctx = await openStore(t, target);
      await ctx.store.create(KEY, pod('test-ns', 'name'));
      let validateCount = 0;
      let updateCount = 0;
      let updated: Pod | undefined;
      const out = await ctx.store.delete(KEY, {
        validateDeletion: async () => {
          validateCount++;
          if (validateCount > 1) return;
          updated = await relabel(ctx, { foo: 'bar' });
          updateCount++;
        },
      });
      expect(validateCount, 'validateDeletion runs again after the conflict').toBe(2);
      expect(updateCount).toBe(1);
      await expectGone(ctx);
      expect(out).toEqual({ ...updated, metadata: { ...updated?.metadata, resourceVersion: out.metadata.resourceVersion } });
    });

    it.concurrent('a suggestion of an already deleted object fails isNotFound', async (t) => {
      const ctx = await openStore(t, target);
      const original = await ctx.store.create(KEY, pod('test-ns', 'name'));
      await ctx.store.delete(KEY, { cachedExistingObject: original });
      const err = await captureError(ctx.store.delete(KEY, { cachedExistingObject: original }));
      expect(isNotFound(err), `got ${err}`).toBe(true);
    });

    it.concurrent('validateDeletion errors are returned as is; with a stale suggestion it judges the live object', async (t) => {
      const ctx = await openStore(t, target);
      const original = await ctx.store.create(KEY, pod('test-ns', 'name'));
      const validationError = new Error('validation error');
      let failingCalls = 0;
      const err = await captureError(
        ctx.store.delete(KEY, {
          cachedExistingObject: original,
          validateDeletion: () => {
            failingCalls++;
            throw validationError;
          },
        }),
      );
      expect(err).toBe(validationError);
      expect(failingCalls, 'a fresh suggestion is validated once').toBe(1);

      await relabel(ctx, { foo: 'bar' });
      let calls = 0;
      await ctx.store.delete(KEY, {
        cachedExistingObject: original,
        validateDeletion: (obj) => {
          calls++;
          if (obj.metadata.labels?.foo !== 'bar') throw new Error('stale object');
        },
      });
      expect(calls).toBeLessThanOrEqual(2);
      await expectGone(ctx);
    });

    it.concurrent('a suggestion that passes validation while the live object does not is refused', async (t) => {
      const ctx = await openStore(t, target);
      const original = await ctx.store.create(KEY, pod('test-ns', 'name', { metadata: { labels: { foo: 'bar' } } }));
      const updated = await relabel(ctx, { foo: 'barbar' });
      let calls = 0;
      const err = await captureError(
        ctx.store.delete(KEY, {
          cachedExistingObject: original,
          validateDeletion: (obj) => {
            calls++;
            if (obj.metadata.labels?.foo !== 'bar') throw new Error('stale object');
          },
        }),
      );
      expect(err.message).toBe('stale object');
      expect(calls).toBeLessThanOrEqual(2);
      expect(await ctx.store.get(KEY)).toEqual(updated);
    });

    it.concurrent('a UID precondition met by the live object deletes despite a stale suggestion', async (t) => {
      const ctx = await openStore(t, target);
      const original = await ctx.store.create(KEY, pod('test-ns', 'name'));
      await ctx.store.guaranteedUpdate(KEY, {
        tryUpdate: (cur) => ({ ...cur, metadata: { ...cur.metadata, uid: 'myUID' } }),
      });
      await ctx.store.delete(KEY, { cachedExistingObject: original, preconditions: { uid: 'myUID' } });
      await expectGone(ctx);
    });

    it.concurrent('a UID precondition met only by the stale suggestion fails isInvalidObj', async (t) => {
      const ctx = await openStore(t, target);
      const original = await ctx.store.create(KEY, pod('test-ns', 'name', { metadata: { uid: 'myUID' } }));
      const updated = await ctx.store.guaranteedUpdate(KEY, {
        tryUpdate: (cur) => ({ ...cur, metadata: { ...cur.metadata, uid: 'otherUID' } }),
      });
      const err = await captureError(
        ctx.store.delete(KEY, { cachedExistingObject: original, preconditions: { uid: 'myUID' } }),
      );
      expect(isInvalidObj(err), `got ${err}`).toBe(true);
      expect(await ctx.store.get(KEY)).toEqual(updated);
    });
  });
}
