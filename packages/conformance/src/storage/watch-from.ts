import { describe, expect, it } from 'vitest';
import { WATCH_TOO_OLD } from '@storagebackend/core';
import type { ConformanceTarget } from '../target.js';
import { pod, podKey, type Pod } from './fixtures.js';
import { WATCH_TEST_TIMEOUT_MS, withWatchContext } from './watch-helpers.js';

const foo = pod('test-ns', 'foo');
const fooKey = podKey(foo);

/**
 * Kubernetes `RunTestWatchFromZero`, `RunTestDeleteTriggerWatch`, `RunTestWatchFromNonZero` and
 * `RunTestWatchDeleteEventObjectHaveLatestRV`: where a watch starts and what delete events carry.
 */
export function runWatchFromTests(target: ConformanceTarget): void {
  describe('watch start and delete events', () => {
    // Sequential: compaction of a backend that shares its revision history with others must not overlap their tests.
    it.sequential(
      'from "0" sends the current state as ADDED, also after compaction; a compacted RV gets 410 Expired',
      ({ skip }) =>
        withWatchContext(target, async (ctx) => {
          const stored = await ctx.upsert(foo);
          const w1 = await ctx.watch(fooKey, { resourceVersion: '0' });
          await w1.expectEvent('ADDED', stored);
          const updated = await ctx.upsert({ ...foo, metadata: { ...foo.metadata, annotations: { a: '1' } } });
          await w1.expectEvent('MODIFIED', updated);
          w1.stop();

          const w2 = await ctx.watch(fooKey, { resourceVersion: '0' });
          await w2.expectEvent('ADDED', updated);
          w2.stop();

          if (!ctx.backend.capabilities.compaction) skip('backend declares compaction: false');

          const latest = await ctx.upsert(foo);
          await ctx.compact(latest.metadata.resourceVersion!);

          const w3 = await ctx.watch(fooKey, { resourceVersion: '0' });
          await w3.expectEvent('ADDED', latest);

          // Events after the first write's RV start below the compaction: that history is gone.
          const tooOld = await ctx.watch(fooKey, { resourceVersion: stored.metadata.resourceVersion! });
          const status = await tooOld.expectError();
          expect(status).toMatchObject({ kind: 'Status', status: 'Failure', code: 410, reason: 'Expired' });
          expect(status.message).toBe(WATCH_TOO_OLD);
          await tooOld.expectEnd();
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'delete triggers DELETED',
      () =>
        withWatchContext(target, async (ctx) => {
          const stored = await ctx.upsert(foo);
          const w = await ctx.watch(fooKey, { resourceVersion: stored.metadata.resourceVersion! });
          await ctx.store.delete(fooKey);
          expect((await w.nextEvent()).type).toBe('DELETED');
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'from a non-zero RV sends later updates only',
      () =>
        withWatchContext(target, async (ctx) => {
          const stored = await ctx.upsert(foo);
          const w = await ctx.watch(fooKey, { resourceVersion: stored.metadata.resourceVersion! });
          const annotations = { version: '2' };
          const updated = await ctx.upsert({ ...stored, metadata: { ...stored.metadata, annotations } });
          await w.expectEvent('MODIFIED', updated);
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'the DELETED object is the one delete returned, at the deletion RV',
      () =>
        withWatchContext(target, async (ctx) => {
          const stored = await ctx.upsert(foo);
          const w = await ctx.watch(fooKey, { resourceVersion: stored.metadata.resourceVersion! });
          const deleted: Pod = await ctx.store.delete(fooKey, { preconditions: {} });
          expect(deleted.metadata.resourceVersion).not.toBe(stored.metadata.resourceVersion);
          await w.expectEvent('DELETED', deleted);
        }),
      WATCH_TEST_TIMEOUT_MS,
    );
  });
}
