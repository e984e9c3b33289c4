import type { StorageTestContext } from './context.js';
import { pod, podKey, type Pod } from './fixtures.js';
import { currentRevision } from './store-helpers.js';

/**
 * The multi-level tree of Kubernetes RunTestList, written in this order:
 * first/bar, second/bar, second/foo, third/barfoo, third/foo, second/baz; then first/bar gets spec.nodeName
 * "fakeNode" and second/baz is deleted. With compaction, history before the first write is compacted away.
 */
export interface ListSeed {
  readonly ctx: StorageTestContext;
  /** List resourceVersion before any write. */
  readonly initialRV: number;
  /** The six created objects as returned by create, in write order. */
  readonly created: readonly [Pod, Pod, Pod, Pod, Pod, Pod];
  /** first/bar after its update. */
  readonly updated: Pod;
  /** resourceVersion of a consistent list after the delete (the last seeded write). */
  readonly continueRV: number;
  /** The store revision after seeding and compaction: what a consistent read returns. */
  readonly currentRV: number;
  readonly compacted: boolean;
}

export async function seedListTree(ctx: StorageTestContext): Promise<ListSeed> {
  const initial = await ctx.store.getList('/pods/', { recursive: true });
  const initialRV = Number(initial.metadata.resourceVersion);
  const pods = [
    pod('first', 'bar'),
    pod('second', 'bar'),
    pod('second', 'foo'),
    pod('third', 'barfoo'),
    pod('third', 'foo'),
    pod('second', 'baz'),
  ];
  const created: Pod[] = [];
  for (const p of pods) created.push(await ctx.store.create(podKey(p), p));
  const updated = await ctx.store.guaranteedUpdate('/pods/first/bar', {
    ignoreNotFound: true,
    tryUpdate: (cur) => ({ ...cur, spec: { ...cur.spec, nodeName: 'fakeNode' } }),
  });
  await ctx.store.delete('/pods/second/baz');
  const second = await ctx.store.getList('/pods/second', { recursive: true });
  const continueRV = Number(second.metadata.resourceVersion);
  const compacted = ctx.backend.capabilities.compaction;
  if (compacted) await ctx.compact(created[0]?.metadata.resourceVersion ?? '0');
  return {
    ctx,
    initialRV,
    created: created as unknown as ListSeed['created'],
    updated,
    continueRV,
    currentRV: await currentRevision(ctx),
    compacted,
  };
}
