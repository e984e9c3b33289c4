import { CONTINUE_TOO_OLD, isResourceExpired, LIST_TOO_OLD, StatusError } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { pod, podKey, type Pod } from './fixtures.js';
import {
  captureError,
  encodeContinueToken,
  expectContinueToken,
  openStore,
  requireCapability,
  rvNum,
} from './store-helpers.js';

/** Kubernetes RunTestListInconsistentContinuation and RunTestCompactRevision. */
export function storeCompactionTests(target: ConformanceTarget): void {
  describe('compaction', () => {
    it.concurrent('a continue token older than the compaction fails 410 with a token to resume inconsistently', async (t) => {
      const ctx = await openStore(t, target);
      requireCapability(t, ctx.backend, 'compaction');
      const created: Pod[] = [];
      for (const p of [pod('first', 'bar'), pod('second', 'bar'), pod('second', 'foo')]) {
        created.push(await ctx.store.create(podKey(p), p));
      }
      const first = await ctx.store.getList('/pods/', { recursive: true, resourceVersion: '0', predicate: { limit: 1 } });
      expect(first.items).toEqual([created[0]]);
      expect(first.metadata.continue).toBeTruthy();

      const updated = await ctx.store.guaranteedUpdate('/pods/second/foo', {
        tryUpdate: (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { state: 'new' } } }),
      });
      await ctx.compact(rvNum(updated));

      const err = await captureError(
        ctx.store.getList('/pods/', { recursive: true, resourceVersion: '0', predicate: { continue: first.metadata.continue } }),
      );
      expect(isResourceExpired(err), `expected 410 Expired, got ${err}`).toBe(true);
      expect(err.message).toBe(CONTINUE_TOO_OLD);
      const resume = (err as StatusError).status.metadata.continue;
      expectContinueToken(resume, encodeContinueToken('first/bar\u0000', -1));

      const second = await ctx.store.getList('/pods/', {
        recursive: true, resourceVersion: '0', predicate: { limit: 1, continue: resume },
      });
      expect(second.items).toEqual([created[1]]);
      expect(second.metadata.continue).toBeTruthy();
      expect(Number(second.metadata.resourceVersion)).toBeGreaterThanOrEqual(rvNum(updated));

      const third = await ctx.store.getList('/pods/', {
        recursive: true, resourceVersion: '0', predicate: { limit: 1, continue: second.metadata.continue },
      });
      expect(third.items).toEqual([updated]);
      expect(third.metadata.continue).toBeUndefined();
      expect(third.metadata.resourceVersion, 'the resumed list keeps its new revision').toBe(second.metadata.resourceVersion);
    });

    it.concurrent('compactRevision() reports the compaction and Exact reads below it are too old', async (t) => {
      const ctx = await openStore(t, target);
      requireCapability(t, ctx.backend, 'compaction');
      await ctx.store.create('/pods/ns/a', pod('ns', 'a'));
      const list = await ctx.store.getList('/pods/', { recursive: true });
      const listRV = Number(list.metadata.resourceVersion);
      expect(ctx.store.compactRevision()).toBeLessThan(listRV);
      const exact = { recursive: true, resourceVersion: list.metadata.resourceVersion, resourceVersionMatch: 'Exact' } as const;
      expect((await ctx.store.getList('/pods/', exact)).items).toEqual(list.items);

      const bumped = await ctx.increaseRV();
      expect(bumped).toBe(listRV + 1);
      await ctx.compact(bumped);
      const err = await captureError(ctx.store.getList('/pods/', exact));
      expect(isResourceExpired(err), `expected 410 Expired, got ${err}`).toBe(true);
      expect(err.message).toBe(LIST_TOO_OLD);
      expect(ctx.store.compactRevision()).toBe(bumped);
    });
  });
}
