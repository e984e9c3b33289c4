import { describe, expect, it } from 'vitest';
import { isInvalidError } from '@storagebackend/core';
import type { ConformanceTarget } from '../target.js';
import { pod, podKey } from './fixtures.js';
import { PrefixTransformer } from './test-transformers.js';
import { WATCH_TEST_TIMEOUT_MS, withWatchContext } from './watch-helpers.js';

/** How soon a watch whose signal is already aborted must end. */
const ABORTED_WATCH_END_MS = 2_000;

/**
 * Kubernetes `RunTestWatchError`, `RunWatchErrorIsBlockingFurtherEvents` and `RunTestWatchContextCancel`: an
 * undecodable event is an ERROR that ends the watch, and cancelling ends it without one.
 */
export function runWatchErrorTests(target: ConformanceTarget): void {
  describe('watch errors and cancellation', () => {
    it.concurrent(
      'a value the transformer cannot read is an ERROR (500 InternalError), then the watch ends',
      () =>
        withWatchContext(target, async (ctx) => {
          const foo = pod('test-ns', 'foo');
          const list = await ctx.store.getList('/pods', { resourceVersion: '0', recursive: true });
          await ctx.upsert(foo);
          ctx.updateTransformer(() => new PrefixTransformer('test!', { err: new Error('injected read failure') }));

          const w = await ctx.watch(podKey(foo), { resourceVersion: list.metadata.resourceVersion });
          const status = await w.expectError();
          expect(status).toMatchObject({ kind: 'Status', status: 'Failure', code: 500, reason: 'InternalError' });
          await w.expectEnd();
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'an ERROR blocks every later event (10 concurrent watches)',
      () =>
        withWatchContext(target, async (ctx) => {
          const fooCreated = await ctx.store.create('/pods/test/foo', pod('test', 'foo'));
          await ctx.store.create('/pods/test/bar', pod('test', 'bar'));
          // foo and bar now carry a prefix the store no longer accepts; baz is written with the new one.
          ctx.updateTransformer(() => new PrefixTransformer('other-prefix'));
          await ctx.store.create('/pods/test/baz', pod('test', 'baz'));

          const options = { resourceVersion: fooCreated.metadata.resourceVersion!, recursive: true };
          const watches = await Promise.all(Array.from({ length: 10 }, () => ctx.watch('/pods', options)));
          const results = await Promise.all(watches.map((w) => w.drain()));
          for (const events of results) {
            // bar's event fails to decode, so the watch ends with exactly one ERROR and never reports baz.
            expect(events.map((e) => e.type)).toEqual(['ERROR']);
          }
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'an already-aborted signal: watch() resolves and the iteration ends at once, without events',
      () =>
        withWatchContext(target, async (ctx) => {
          const controller = new AbortController();
          controller.abort();
          const w = await ctx.watch('/pods/not-existing', { resourceVersion: '0', signal: controller.signal });
          await w.expectEnd(ABORTED_WATCH_END_MS);
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'aborting the signal of a running watch ends the iteration without an ERROR',
      () =>
        withWatchContext(target, async (ctx) => {
          const controller = new AbortController();
          const stored = await ctx.upsert(pod('test-ns', 'foo'));
          const w = await ctx.watch('/pods/test-ns', {
            resourceVersion: stored.metadata.resourceVersion!,
            recursive: true,
            signal: controller.signal,
          });
          const created = await ctx.store.create('/pods/test-ns/bar', pod('test-ns', 'bar'));
          await w.expectEvent('ADDED', created);
          controller.abort();
          await w.expectEnd(ABORTED_WATCH_END_MS);
        }),
      WATCH_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'an unparsable resourceVersion is rejected with an InvalidError',
      () =>
        withWatchContext(target, async (ctx) => {
          const error = await ctx.watch('/pods/test-ns/foo', { resourceVersion: 'abc' }).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(isInvalidError(error), `expected InvalidError, got ${String(error)}`).toBe(true);
        }),
      WATCH_TEST_TIMEOUT_MS,
    );
  });
}
