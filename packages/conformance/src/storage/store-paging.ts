import { describe, expect, it, type TestContext } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import type { StorageTestContext } from './context.js';
import { pod, podKey, type Pod } from './fixtures.js';
import { countingTarget, forEachConcurrently, openStore, rvOf, type BackendCallCounter } from './store-helpers.js';

/** Kubernetes' page-size doubling cap. */
const MAX_PAGE_SIZE = 10_000;

/**
 * Backend list calls a filtered read of `processed` objects needs when the store starts at `pageSize` and doubles
 * the page after every short page (the etcd3 `checkStorageCallsInvariants` formula).
 */
export function expectedListCalls(pageSize: number, processed: number): number {
  let calls = 1;
  let limit = pageSize;
  for (let sum = 1; pageSize !== 0 && sum < processed; calls++) {
    limit = Math.min(limit * 2, MAX_PAGE_SIZE);
    sum += limit;
  }
  return calls;
}

interface Counted {
  readonly ctx: StorageTestContext;
  /** Asserts transformer reads and backend list calls since the last check, then resets both. */
  expectCalls(pageSize: number, processed: number): void;
}

async function openCounted(t: TestContext, target: ConformanceTarget): Promise<Counted> {
  const counting = countingTarget(target);
  const ctx = await openStore(t, counting.target);
  const counter: BackendCallCounter = counting.counter;
  return {
    ctx,
    expectCalls(pageSize, processed) {
      expect(ctx.prefixTransformer.reads, 'objects read through the transformer').toBe(processed);
      expect(counter.count('list'), 'backend list calls').toBe(expectedListCalls(pageSize, processed));
      ctx.prefixTransformer.resetReads();
      counter.reset();
    },
  };
}

async function createAll(ctx: StorageTestContext, pods: readonly Pod[]): Promise<Pod[]> {
  const out: Pod[] = [];
  for (const p of pods) out.push(await ctx.store.create(podKey(p), p));
  return out;
}

/**
 * Kubernetes RunTestListContinuation, RunTestListPaginationRareObject, RunTestListContinuationWithFilter and
 * RunTestListPaging.
 */
export function storePagingTests(target: ConformanceTarget): void {
  describe('paging', () => {
    it.concurrent('continuation: every page is read at the first page’s revision', async (t) => {
      const { ctx, expectCalls } = await openCounted(t, target);
      const [a, b, c] = await createAll(ctx, [pod('first', 'bar'), pod('second', 'bar'), pod('second', 'foo')]);
      const lastRV = rvOf(c as Pod);
      ctx.prefixTransformer.resetReads();
      const list = (limit: number, cont?: string) =>
        ctx.store.getList('/pods/', { recursive: true, predicate: { limit, ...(cont ? { continue: cont } : {}) } });

      const page1 = await list(1);
      expect(page1.items).toEqual([a]);
      expect(page1.metadata.resourceVersion).toBe(lastRV);
      expect(page1.metadata.continue).toBeTruthy();
      expectCalls(1, 1);

      const rest = await list(0, page1.metadata.continue);
      expect(rest.items).toEqual([b, c]);
      expect(rest.metadata.continue).toBeUndefined();
      expect(rest.metadata.resourceVersion).toBe(lastRV);
      expectCalls(0, 2);

      const page2 = await list(1, page1.metadata.continue);
      expect(page2.items).toEqual([b]);
      expect(page2.metadata.continue).toBeTruthy();
      expect(page2.metadata.resourceVersion).toBe(lastRV);
      expectCalls(1, 1);

      const page3 = await list(1, page2.metadata.continue);
      expect(page3.items).toEqual([c]);
      expect(page3.metadata.continue).toBeUndefined();
      expect(page3.metadata.resourceVersion).toBe(lastRV);
      expectCalls(1, 1);
    });

    it.concurrent(
      'a rare match among 1000 objects: one result, no token, page sizes doubling',
      async (t) => {
        const { ctx, expectCalls } = await openCounted(t, target);
        const created: Pod[] = [];
        await forEachConcurrently(Array.from({ length: 1000 }, (_, i) => i), 32, async (i) => {
          const p = pod('', `pod-${i}`);
          created[i] = await ctx.store.create(podKey(p), p);
        });
        ctx.prefixTransformer.resetReads();
        const out = await ctx.store.getList('/pods/', {
          recursive: true,
          predicate: { limit: 1, field: 'metadata.name=pod-999' },
        });
        expect(out.items).toEqual([created[999]]);
        expect(out.metadata.continue).toBeUndefined();
        expectCalls(1, 1000);
      },
      60_000,
    );

    it.concurrent('continuation with a filter skips non-matching objects and reads only what it needs', async (t) => {
      const { ctx, expectCalls } = await openCounted(t, target);
      const [foo1, , foo3, foo4] = await createAll(ctx, [pod('1', 'foo'), pod('2', 'bar'), pod('3', 'foo'), pod('4', 'foo')]);
      const lastRV = rvOf(foo4 as Pod);
      ctx.prefixTransformer.resetReads();
      const predicate = { field: 'metadata.name!=bar', limit: 2 };

      const page1 = await ctx.store.getList('/pods/', { recursive: true, predicate });
      expect(page1.items).toEqual([foo1, foo3]);
      expect(page1.metadata.continue).toBeTruthy();
      expect(page1.metadata.resourceVersion).toBe(lastRV);
      expectCalls(2, 3);

      const page2 = await ctx.store.getList('/pods/', {
        recursive: true,
        predicate: { ...predicate, continue: page1.metadata.continue },
      });
      expect(page2.items).toEqual([foo4]);
      expect(page2.metadata.continue).toBeUndefined();
      expect(page2.metadata.resourceVersion).toBe(lastRV);
      expectCalls(2, 1);
    });

    it.concurrent('an object created mid-pagination is not returned', async (t) => {
      const ctx = await openStore(t, target);
      await createAll(ctx, [0, 1, 2, 3].map((i) => pod('paging', `test-${i}`)));
      const names: string[] = [];
      let cont: string | undefined;
      let calls = 0;
      do {
        calls++;
        const out = await ctx.store.getList('/pods/', {
          recursive: true,
          predicate: { limit: 1, ...(cont ? { continue: cont } : {}) },
        });
        names.push(...out.items.map((p) => p.metadata.name ?? ''));
        cont = out.metadata.continue;
        if (calls === 2) await ctx.store.create('/pods/paging/test-5', pod('paging', 'test-5'));
      } while (cont);
      expect(names).toEqual(['test-0', 'test-1', 'test-2', 'test-3']);
      expect(calls).toBe(4);
    });
  });
}
