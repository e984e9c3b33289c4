import { describe, it } from 'vitest';
import type { SelectionPredicate, WatchEventType } from '@storagebackend/core';
import type { ConformanceTarget } from '../target.js';
import type { Pod } from './fixtures.js';
import { WATCH_TEST_TIMEOUT_MS, nodeNameAttrs, withRV, withWatchContext } from './watch-helpers.js';

/** One write of a watch table: the object to store (null deletes it) and the event it must produce, if any. */
interface WatchStep {
  readonly obj: Pod | null;
  readonly expect?: WatchEventType;
}

interface WatchCase {
  readonly name: string;
  readonly predicate?: SelectionPredicate<Pod>;
  readonly steps: readonly WatchStep[];
}

const basePod: Pod = { metadata: { name: 'foo' } };
const assignedPod: Pod = { metadata: { name: 'foo' }, spec: { nodeName: 'bar' } };
const selected = (p: Pod): Pod => ({ ...p, metadata: { ...p.metadata, labels: { select: 'true' } } });

const nodeNamePredicate = (field: string): SelectionPredicate<Pod> => ({ field, getAttrs: nodeNameAttrs(true) });

const WATCH_CASES: readonly WatchCase[] = [
  { name: 'create a key', steps: [{ obj: basePod, expect: 'ADDED' }] },
  {
    name: 'key updated to match predicate',
    predicate: nodeNamePredicate('spec.nodeName=bar'),
    steps: [{ obj: basePod }, { obj: assignedPod, expect: 'ADDED' }],
  },
  {
    name: 'update',
    steps: [
      { obj: basePod, expect: 'ADDED' },
      { obj: assignedPod, expect: 'MODIFIED' },
    ],
  },
  {
    name: 'delete because of being filtered',
    predicate: nodeNamePredicate('spec.nodeName!=bar'),
    steps: [
      { obj: basePod, expect: 'ADDED' },
      { obj: assignedPod, expect: 'DELETED' },
    ],
  },
  {
    name: 'filtering by label',
    predicate: { label: 'select=true' },
    steps: [
      { obj: selected(basePod), expect: 'ADDED' },
      { obj: basePod, expect: 'DELETED' },
      { obj: selected(basePod), expect: 'ADDED' },
      { obj: selected(assignedPod), expect: 'MODIFIED' },
      { obj: null, expect: 'DELETED' },
    ],
  },
];

/**
 * Kubernetes `RunTestWatch`: list for a resource version, watch from it (one object key, or its namespace
 * recursively) and check the events of each write, that a sibling namespace's writes are not delivered, and that
 * `stop()` ends the iteration.
 */
export function runWatchBasicTests(target: ConformanceTarget): void {
  describe('watch (RunTestWatch)', () => {
    for (const recursive of [false, true]) {
      for (const [index, tc] of WATCH_CASES.entries()) {
        it.concurrent(`${recursive ? 'recursive' : 'single key'}: ${tc.name}`, () =>
          withWatchContext(target, async (ctx) => {
            const namespace = `test-ns-${index + 1}-${recursive}`;
            const key = `/pods/${namespace}/foo`;
            // Recursive watches use the namespace key without a trailing slash: the store must not match `<ns>-bad`.
            const watchKey = recursive ? `/pods/${namespace}` : key;
            const predicate = tc.predicate ?? {};

            const list = await ctx.store.getList(watchKey, { resourceVersion: '', predicate, recursive });
            const resourceVersion = list.metadata.resourceVersion;
            const w = await ctx.watch(watchKey, { resourceVersion, predicate, recursive });

            // Written first, so an event for it would be read before any expected one.
            const bad = selected(basePod);
            await ctx.upsert({ ...bad, metadata: { ...bad.metadata, namespace: `${namespace}-bad` } });

            let previous: Pod | undefined;
            for (const step of tc.steps) {
              const out = step.obj
                ? await ctx.upsert({ ...step.obj, metadata: { ...step.obj.metadata, namespace } }, key)
                : await ctx.store.delete(key);
              if (step.expect) {
                // DELETED carries the last state the watcher saw, at the resource version of the write.
                const expected = step.expect === 'DELETED' ? withRV(previous!, out.metadata.resourceVersion) : out;
                await w.expectEvent(step.expect, expected);
              }
              previous = out;
            }
            w.stop();
            await w.expectEnd();
          }),
          WATCH_TEST_TIMEOUT_MS,
        );
      }
    }
  });
}
