import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { pod, podKey, type Pod } from './fixtures.js';
import { WATCH_TEST_TIMEOUT_MS, sleep, withWatchContext } from './watch-helpers.js';

/** Kubernetes' bound for 22 events with 50 stalled watchers: 250ms per stalled watcher. */
const STALLED_WATCHERS = 50;
const STALLED_WATCHERS_BUDGET_MS = 250 * STALLED_WATCHERS;

/**
 * Kubernetes `RunTestDelayedWatchDelivery` and `RunTestWatcherTimeout`: a slow reader loses nothing it is given,
 * and watchers that never read do not hold back one that does.
 */
export function runWatchDeliveryTests(target: ConformanceTarget): void {
  describe('watch delivery', () => {
    it.concurrent(
      'a slow reader gets events in order; after stop() only not-yet-read events follow, in order, then the end',
      () =>
        withWatchContext(target, async (ctx) => {
          const stored = await ctx.upsert(pod('test-ns', 'foo'));
          const resourceVersion = stored.metadata.resourceVersion!;
          const w = await ctx.watch('/pods/test-ns', { resourceVersion, recursive: true });
          const total = 21;
          for (let i = 0; i < total; i++) await ctx.upsert(pod('test-ns', `foo-${i}`));

          const names: (string | undefined)[] = [];
          for (let i = 0; i < 3; i++) {
            const event = await w.nextEvent();
            names.push((event.object as Pod).metadata.name);
            await sleep(200);
          }
          w.stop();
          // Whatever was already buffered may still arrive; it must continue the sequence, never repeat or skip.
          for (const event of await w.drain()) names.push((event.object as Pod).metadata.name);
          expect(names.length).toBeLessThanOrEqual(total);
          expect(names).toEqual(Array.from({ length: names.length }, (_, i) => `foo-${i}`));
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      `${STALLED_WATCHERS} watchers that never read do not block one that reads`,
      () =>
        withWatchContext(target, async (ctx) => {
          const list = await ctx.store.getList('/pods', { recursive: true });
          const options = { resourceVersion: list.metadata.resourceVersion, recursive: true };
          for (let i = 0; i < STALLED_WATCHERS; i++) await ctx.watch('/pods/test-ns', options);
          const reader = await ctx.watch('/pods/test-ns', options);

          const start = Date.now();
          for (let i = 0; i < 22; i++) {
            const p = pod('test-ns', `foo-${i}`);
            const created = await ctx.store.create(podKey(p), p);
            await reader.expectEvent('ADDED', created);
          }
          expect(Date.now() - start).toBeLessThan(STALLED_WATCHERS_BUDGET_MS);
        }),
      WATCH_TEST_TIMEOUT_MS,
    );
  });
}
