import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { pod, podKey, type Pod } from './fixtures.js';
import { WATCH_TEST_TIMEOUT_MS, rvOf, withRV, withWatchContext } from './watch-helpers.js';

/** Added to `target.progressNotifyWithinMs` for scheduling and I/O. */
const PROGRESS_SLACK_MS = 2_000;
/** How long a watch without progressNotify is observed for stray bookmarks. */
const NO_BOOKMARK_WINDOW_MS = 1_500;

/**
 * Kubernetes `RunOptionalTestProgressNotify` (plus `requestWatchProgress`) and `RunTestWatchDispatchBookmarkEvents`:
 * progress becomes a BOOKMARK only when asked for, and carries nothing but a resource version.
 */
export function runWatchProgressTests(target: ConformanceTarget): void {
  const progressWithinMs = (target.progressNotifyWithinMs ?? 0) + PROGRESS_SLACK_MS;
  const requireInterval = () => {
    if (target.progressNotifyWithinMs === undefined) {
      throw new Error('target.progressNotifyWithinMs is required when the backend declares progressNotify');
    }
  };

  describe('watch progress and bookmarks', () => {
    it.concurrent(
      'progressNotify: an idle watch gets a BOOKMARK of the zero object at a resource version >= the last write',
      ({ skip }) =>
        withWatchContext(target, async (ctx) => {
          if (!ctx.backend.capabilities.progressNotify) skip('backend declares progressNotify: false');
          requireInterval();
          const input = pod('test-ns', 'name');
          const created = await ctx.store.create(podKey(input), input);
          // etcd sends no progress to a watch that starts in the future, so move the revision past the watch start.
          await ctx.increaseRV();
          const w = await ctx.watch(podKey(input), {
            resourceVersion: created.metadata.resourceVersion!,
            progressNotify: true,
          });
          const event = await w.nextEvent(progressWithinMs);
          expect(event.type).toBe('BOOKMARK');
          const bookmark = event.object as Pod;
          expect(rvOf(bookmark)).toBeGreaterThanOrEqual(rvOf(created));
          expect(withRV(bookmark, undefined)).toEqual({ metadata: {} });
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'requestWatchProgress: a progressNotify watch gets a BOOKMARK at or past the revision current at the request',
      ({ skip }) =>
        withWatchContext(target, async (ctx) => {
          if (!ctx.backend.capabilities.requestProgress) skip('backend declares requestProgress: false');
          if (ctx.backend.capabilities.progressNotify) requireInterval();
          const input = pod('test-ns', 'name');
          const created = await ctx.store.create(podKey(input), input);
          const w = await ctx.watch(podKey(input), {
            resourceVersion: created.metadata.resourceVersion!,
            progressNotify: true,
          });
          const bumped = await ctx.increaseRV();
          await ctx.store.requestWatchProgress();

          // A periodic progress response from before the bump may come first; nothing but bookmarks may come at all.
          const deadline = Date.now() + progressWithinMs;
          for (;;) {
            const event = await w.nextEvent(Math.max(1, deadline - Date.now()));
            expect(event.type).toBe('BOOKMARK');
            const bookmark = event.object as Pod;
            expect(withRV(bookmark, undefined)).toEqual({ metadata: {} });
            if (rvOf(bookmark) >= bumped) break;
          }
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    for (const allowWatchBookmarks of [false, true]) {
      it.concurrent(
        `allowWatchBookmarks=${allowWatchBookmarks} without progressNotify: no BOOKMARK (nor any other event)`,
        () =>
          withWatchContext(target, async (ctx) => {
            const stored = await ctx.upsert(pod('test-ns', 'foo'));
            const w = await ctx.watch(podKey(stored), {
              resourceVersion: stored.metadata.resourceVersion!,
              predicate: { allowWatchBookmarks },
            });
            await ctx.store.create('/pods/other-ns/foo', pod('other-ns', 'foo'));
            await w.expectNoEvent(NO_BOOKMARK_WINDOW_MS);
          }),
        WATCH_TEST_TIMEOUT_MS,
      );
    }
  });
}
