import { describe, it } from 'vitest';
import type { SelectionPredicate } from '@storagebackend/core';
import type { ConformanceTarget } from '../target.js';
import { podKey, type Pod } from './fixtures.js';
import { CLUSTER_CASES, NAMESPACED_CASES, type ScopedCase } from './watch-scoped-cases.js';
import { WATCH_QUIET_MS, WATCH_TEST_TIMEOUT_MS, nodeNameAttrs, withRV, withWatchContext } from './watch-helpers.js';

function watchKeyOf(tc: ScopedCase, namespaced: boolean): string {
  if (!namespaced) return tc.objectName ? `/pods/${tc.objectName}` : '/pods';
  if (!tc.namespace) return '/pods';
  return tc.objectName ? `/pods/${tc.namespace}/${tc.objectName}` : `/pods/${tc.namespace}`;
}

function registerCases(target: ConformanceTarget, cases: readonly ScopedCase[], namespaced: boolean): void {
  for (const tc of cases) {
    it.concurrent(
      tc.name,
      () =>
        withWatchContext(target, async (ctx) => {
          const predicate: SelectionPredicate<Pod> = {
            ...(tc.field ? { field: tc.field } : {}),
            ...(tc.nodeName ? { getAttrs: nodeNameAttrs(namespaced) } : {}),
          };
          const list = await ctx.store.getList('/pods', { resourceVersion: '', predicate, recursive: true });
          const w = await ctx.watch(watchKeyOf(tc, namespaced), {
            resourceVersion: list.metadata.resourceVersion,
            predicate,
            recursive: tc.recursive,
          });

          const current = new Map<string, Pod>();
          for (const [obj, expected] of tc.steps) {
            const key = podKey(obj);
            const out = await ctx.upsert(obj, key);
            const seen = current.get(key);
            current.set(key, out);
            if (!expected) continue;
            // DELETED carries the last state the watcher saw, at the resource version of the write.
            await w.expectEvent(expected, expected === 'DELETED' ? withRV(seen!, out.metadata.resourceVersion) : out);
          }
          await w.expectNoEvent(WATCH_QUIET_MS);
          w.stop();
          await w.expectEnd();
        }),
      WATCH_TEST_TIMEOUT_MS,
    );
  }
}

/** Kubernetes `RunTestClusterScopedWatch` and `RunTestNamespaceScopedWatch`: keys, name/namespace/node selectors. */
export function runWatchScopedTests(target: ConformanceTarget): void {
  describe('cluster-scoped watch (RunTestClusterScopedWatch)', () => registerCases(target, CLUSTER_CASES, false));
  describe('namespace-scoped watch (RunTestNamespaceScopedWatch)', () => registerCases(target, NAMESPACED_CASES, true));
}
