import {
  isBadRequest,
  isResourceExpired,
  isTooLargeResourceVersion,
  LIST_TOO_OLD,
  type ResourceVersionMatch,
} from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { createStorageTestContext } from './context.js';
import { basicListCases, type ListCase } from './store-list-cases.js';
import { historyListCases } from './store-list-history-cases.js';
import { seedListTree, type ListSeed } from './store-list-seed.js';
import { captureError, expectContinueToken } from './store-helpers.js';

const CONTINUE_TOO_OLD_PREFIX = 'The provided continue parameter is too old to display a consistent list result';

function expectFailure(err: Error, c: ListCase): void {
  switch (c.fails) {
    case 'bad-request':
      expect(isBadRequest(err), `expected a 400 BadRequest, got ${err}`).toBe(true);
      break;
    case 'too-large':
      expect(isTooLargeResourceVersion(err), `expected TooLargeResourceVersion, got ${err}`).toBe(true);
      break;
    case 'too-old':
      expect(isResourceExpired(err), `expected 410 Expired, got ${err}`).toBe(true);
      expect(err.message).toContain(LIST_TOO_OLD);
      break;
    case 'continue-too-old':
      expect(isResourceExpired(err), `expected 410 Expired, got ${err}`).toBe(true);
      expect(err.message).toContain(CONTINUE_TOO_OLD_PREFIX);
      break;
    default:
      break;
  }
  if (c.message !== undefined) expect(err.message).toContain(c.message);
}

/** Kubernetes RunTestList: recursive lists of a seeded tree at every resourceVersion form, with limits and tokens. */
export function storeListTableTests(target: ConformanceTarget): void {
  describe('getList over a seeded tree', () => {
    let seed: ListSeed | undefined;

    beforeAll(async () => {
      const ctx = await createStorageTestContext(target);
      try {
        seed = await seedListTree(ctx);
      } catch (err) {
        await ctx.close();
        throw err;
      }
    });
    afterAll(async () => seed?.ctx.close());

    for (const [name, build] of Object.entries({ ...basicListCases, ...historyListCases })) {
      it.concurrent(name, async (t) => {
        if (!seed) throw new Error('seeding failed');
        const c = build(seed);
        t.skip(c.needsCompaction === true && !seed.compacted, 'needs capabilities.compaction');
        const call = seed.ctx.store.getList(c.prefix, {
          recursive: true,
          resourceVersion: c.rv,
          resourceVersionMatch: c.match as ResourceVersionMatch | undefined,
          predicate: c.predicate,
        });
        if (c.fails) {
          expectFailure(await captureError(call), c);
          return;
        }
        const out = await call;
        if (c.oneOf) expect(c.oneOf).toContainEqual(out.items);
        else expect(out.items).toEqual(c.items);
        expect(out.metadata.resourceVersion).toMatch(/^[1-9][0-9]*$/);
        expect(out.metadata.continue !== undefined && out.metadata.continue !== '', `continue token ${out.metadata.continue}`)
          .toBe(c.hasContinue ?? false);
        if (c.continueToken !== undefined) expectContinueToken(out.metadata.continue, c.continueToken);
        expect(out.metadata.remainingItemCount, 'remainingItemCount').toBe(c.remainingItemCount);
        if (c.listRV !== undefined) expect(Number(out.metadata.resourceVersion), 'list resourceVersion').toBe(c.listRV);
        if (c.listRVAtLeast !== undefined) {
          expect(Number(out.metadata.resourceVersion), 'list resourceVersion').toBeGreaterThanOrEqual(c.listRVAtLeast);
        }
      });
    }
  });
}
