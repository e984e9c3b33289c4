import { describe, expect, it } from 'vitest';
import type { WatchEvent, WatchOptions } from '@storagebackend/core';
import type { ConformanceTarget } from '../target.js';
import { pod, podKey, type Pod } from './fixtures.js';
import {
  INITIAL_EVENTS_END_ANNOTATION,
  WATCH_TEST_TIMEOUT_MS,
  rvOf,
  withWatchContext,
  type WatchReader,
  type WatchTestContext,
} from './watch-helpers.js';

type RVMode = 'unset' | '0' | '1' | 'current';

interface Scenario {
  readonly rv: RVMode;
  readonly allowWatchBookmarks: boolean;
  /** undefined is the legacy request (no sendInitialEvents parameter at all). */
  readonly sendInitialEvents: boolean | undefined;
}

const SCENARIOS: readonly Scenario[] = [
  ...(['unset', '0', '1', 'current'] as const).flatMap((rv) =>
    [true, false].flatMap((allowWatchBookmarks) =>
      [true, false].map((sendInitialEvents) => ({ rv, allowWatchBookmarks, sendInitialEvents })),
    ),
  ),
  { rv: '0', allowWatchBookmarks: false, sendInitialEvents: undefined },
  { rv: 'unset', allowWatchBookmarks: false, sendInitialEvents: undefined },
];

function scenarioName(s: Scenario): string {
  if (s.sendInitialEvents === undefined) return `legacy, RV=${s.rv}`;
  return `allowWatchBookmarks=${s.allowWatchBookmarks}, sendInitialEvents=${s.sendInitialEvents}, RV=${s.rv}`;
}

/** What the scenario's watch must send before any new write: the existing pods, and whether an end bookmark follows. */
function expectedInitial(s: Scenario): { pods: boolean; bookmark: boolean } {
  if (s.sendInitialEvents === true) return { pods: true, bookmark: s.allowWatchBookmarks };
  if (s.sendInitialEvents === undefined) return { pods: true, bookmark: false };
  // sendInitialEvents=false: only an RV older than the pods replays their creation.
  return { pods: s.rv === '1', bookmark: false };
}

async function resourceVersionFor(ctx: WatchTestContext, rv: RVMode): Promise<string | undefined> {
  if (rv === 'unset') return undefined;
  if (rv === 'current') return String(await ctx.store.getCurrentResourceVersion());
  if (rv === '0') return '0';
  // "1" stands for an RV older than every pod; a backend sharing its history may have compacted past 1 already.
  return String(Math.max(1, (await ctx.backend.status()).compactRevision));
}

const isBookmark = (e: WatchEvent<Pod>) => e.type === 'BOOKMARK';

/** Reads the initial-events-end bookmark and checks it: only an RV and the annotation. Returns its RV. */
async function expectInitialEventsEnd(w: WatchReader): Promise<number> {
  const event = await w.nextEvent();
  expect(event.type).toBe('BOOKMARK');
  const bookmark = event.object as Pod;
  expect(bookmark).toEqual({
    metadata: {
      resourceVersion: bookmark.metadata.resourceVersion,
      annotations: { [INITIAL_EVENTS_END_ANNOTATION]: 'true' },
    },
  });
  return rvOf(bookmark);
}

async function createPods(ctx: WatchTestContext, namespace: string, names: readonly string[]): Promise<Pod[]> {
  const created: Pod[] = [];
  for (const name of names) {
    const p = pod(namespace, name);
    created.push(await ctx.store.create(podKey(p), p));
  }
  return created;
}

const added = (pods: readonly Pod[]) => pods.map((object) => ({ type: 'ADDED' as const, object }));

/**
 * Kubernetes `RunWatchSemantics`, `RunWatchSemanticInitialEventsExtended`, `RunWatchListMatchSingle` and
 * `RunSendInitialEventsBackwardCompatibility`, plus etcd3's too-large-RV check of a watch-list.
 */
export function runWatchInitialEventsTests(target: ConformanceTarget): void {
  describe('watch initial events (RunWatchSemantics)', () => {
    for (const [index, scenario] of SCENARIOS.entries()) {
      it.concurrent(
        scenarioName(scenario),
        () =>
          withWatchContext(target, async (ctx) => {
            const namespace = `ns-${index}`;
            const initial = await createPods(ctx, namespace, ['pod-1', 'pod-2', 'pod-3']);
            const options: WatchOptions<Pod> = {
              recursive: true,
              predicate: { allowWatchBookmarks: scenario.allowWatchBookmarks },
              ...(scenario.sendInitialEvents === undefined ? {} : { sendInitialEvents: scenario.sendInitialEvents }),
              ...(scenario.rv === 'unset' ? {} : { resourceVersion: await resourceVersionFor(ctx, scenario.rv) }),
            };
            const w = await ctx.watch(`/pods/${namespace}`, options);

            const expected = expectedInitial(scenario);
            if (expected.pods) await w.expectEvents(added(initial));
            const bookmarkRV = expected.bookmark ? await expectInitialEventsEnd(w) : undefined;
            if (bookmarkRV !== undefined) expect(bookmarkRV).toBeGreaterThanOrEqual(rvOf(initial.at(-1)!));

            const later = await createPods(ctx, namespace, ['pod-4', 'pod-5']);
            // The end bookmark carries the list revision, taken before these writes.
            if (bookmarkRV !== undefined) expect(bookmarkRV).toBeLessThan(rvOf(later[0]!));
            for (const event of added(later)) {
              let next = await w.nextEvent();
              while (isBookmark(next)) next = await w.nextEvent();
              expect(next).toEqual(event);
            }
            await w.expectNoEvent(undefined, isBookmark);
          }),
        WATCH_TEST_TIMEOUT_MS,
      );
    }

    it.concurrent(
      'sendInitialEvents with RV unset and no bookmarks is accepted (backward compatibility)',
      () =>
        withWatchContext(target, async (ctx) => {
          const w = await ctx.watch('/pods', { sendInitialEvents: true, recursive: true });
          w.stop();
          await w.expectEnd();
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'sendInitialEvents with an RV ahead of the store is an ERROR 504 ResourceVersionTooLarge',
      () =>
        withWatchContext(target, async (ctx) => {
          await createPods(ctx, 'ns', ['pod-1']);
          const current = await ctx.store.getCurrentResourceVersion();
          const w = await ctx.watch('/pods/ns', {
            recursive: true,
            sendInitialEvents: true,
            predicate: { allowWatchBookmarks: true },
            resourceVersion: String(current + 100),
          });
          const status = await w.expectError();
          expect(status).toMatchObject({ kind: 'Status', code: 504, reason: 'Timeout' });
          expect(status.details?.causes?.map((c) => c.type)).toContain('ResourceVersionTooLarge');
          expect(status.message).toBe(`Timeout: Too large resource version: ${current + 100}, current: ${current}`);
          await w.expectEnd();
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    // Sequential: the end bookmark must carry exactly the global revision, so no other test may write meanwhile.
    it.sequential(
      'the initial-events-end bookmark carries the global list RV, not the namespace\'s last write',
      () =>
        withWatchContext(target, async (ctx) => {
          const initial = await createPods(ctx, 'ns-foo', ['pod-1', 'pod-2', 'pod-3', 'pod-4', 'pod-5']);
          const [otherNsPod] = await createPods(ctx, 'other-ns-foo', ['pod-1']);
          const w = await ctx.watch('/pods/ns-foo', {
            recursive: true,
            sendInitialEvents: true,
            predicate: { allowWatchBookmarks: true },
          });
          await w.expectEvents(added(initial));
          expect(await expectInitialEventsEnd(w)).toBe(rvOf(otherNsPod!));
          await w.expectNoEvent();
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    it.sequential(
      'a watch-list with metadata.name=pod-1 on /pods/ sends that pod, then the bookmark at the global RV',
      () =>
        withWatchContext(target, async (ctx) => {
          const names = ['pod-1', 'pod-2', 'pod-3', 'pod-4', 'pod-5'];
          const [expectedPod, ...others] = await createPods(ctx, 'ns-foo', names);
          const w = await ctx.watch('/pods', {
            recursive: true,
            sendInitialEvents: true,
            predicate: { field: 'metadata.name=pod-1', allowWatchBookmarks: true },
          });
          await w.expectEvent('ADDED', expectedPod!);
          expect(await expectInitialEventsEnd(w)).toBe(rvOf(others.at(-1)!));
          await w.expectNoEvent();
        }),
      WATCH_TEST_TIMEOUT_MS,
    );
  });
}
