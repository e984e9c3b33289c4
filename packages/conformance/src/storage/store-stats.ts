import { isNotFound } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import type { StorageTestContext } from './context.js';
import { pod } from './fixtures.js';
import { captureError, openStore } from './store-helpers.js';

async function expectStats(ctx: StorageTestContext, objectCount: number): Promise<void> {
  // As upstream: a consistent list first, so a caching implementation is current.
  await ctx.store.getList('/pods/', { recursive: true });
  // Size estimation is not enabled on the store, so the estimate is always 0.
  expect(await ctx.store.stats()).toEqual({ objectCount, estimatedAverageObjectSizeBytes: 0 });
}

/** Kubernetes RunTestStats (without size estimation). */
export function storeStatsTests(target: ConformanceTarget): void {
  describe('stats', () => {
    it.concurrent('counts the objects under the resource prefix through creates, updates and deletes', async (t) => {
      const ctx = await openStore(t, target);
      await expectStats(ctx, 0);
      await ctx.store.create('/pods/foo', pod('', 'foo'));
      await expectStats(ctx, 1);
      await ctx.store.create('/pods/bar', pod('', 'bar'));
      await expectStats(ctx, 2);
      await ctx.store.guaranteedUpdate('/pods/bar', {
        tryUpdate: (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { foo: 'bar' } } }),
      });
      await expectStats(ctx, 2);
      await ctx.increaseRV();
      await expectStats(ctx, 2);
      await ctx.store.delete('/pods/foo');
      await expectStats(ctx, 1);
      expect(isNotFound(await captureError(ctx.store.delete('/pods/foo')))).toBe(true);
      await expectStats(ctx, 1);
      await ctx.store.delete('/pods/bar');
      await expectStats(ctx, 0);
    });
  });
}
