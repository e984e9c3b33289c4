import type { BackendWatchEvent } from '../backend/types.js';
import { decodeObject, untransform } from '../store/object-state.js';
import type { PredicateMatcher } from '../store/predicate-matcher.js';
import type { StoreContext } from '../store/store-context.js';
import type { StorageObject } from '../storage/object.js';
import type { WatchEvent } from '../storage/watch.js';

async function decodeKv<T extends StorageObject>(
  ctx: StoreContext<T>,
  kv: { key: string; value: Uint8Array },
  rev: number,
): Promise<T> {
  const { data } = await untransform(ctx, { ...kv, createRevision: 0, modRevision: rev, version: 0, lease: '0' });
  return decodeObject(ctx, data, rev, kv.key);
}

/**
 * Translates one backend event into at most one watch event under a predicate (Kubernetes watcher `transform`):
 * an update that starts matching is ADDED, one that stops matching is DELETED carrying the old object at the new
 * revision, and non-matching changes are dropped. Throws on undecodable data (the watch then reports ERROR).
 */
export async function transformEvent<T extends StorageObject>(
  ctx: StoreContext<T>,
  event: BackendWatchEvent,
  matcher: PredicateMatcher<T>,
): Promise<WatchEvent<T> | undefined> {
  const rev = event.kv.modRevision;
  if (event.type === 'delete') {
    if (!event.prevKv) {
      throw new Error(
        `storage event received with PrevKv=nil (key=${JSON.stringify(event.kv.key)}, modRevision=${rev}, type=DELETE)`,
      );
    }
    const old = await decodeKv(ctx, event.prevKv, rev);
    return matcher.matches(old) ? { type: 'DELETED', object: old } : undefined;
  }
  const isCreate = event.kv.createRevision === rev;
  const current = await decodeKv(ctx, event.kv, rev);
  if (isCreate) return matcher.matches(current) ? { type: 'ADDED', object: current } : undefined;
  if (matcher.empty) return { type: 'MODIFIED', object: current };
  const curMatches = matcher.matches(current);
  if (!event.prevKv) {
    throw new Error(
      `storage event received with PrevKv=nil (key=${JSON.stringify(event.kv.key)}, modRevision=${rev}, type=PUT)`,
    );
  }
  const old = await decodeKv(ctx, event.prevKv, rev);
  const oldMatches = matcher.matches(old);
  if (curMatches && oldMatches) return { type: 'MODIFIED', object: current };
  if (curMatches) return { type: 'ADDED', object: current };
  if (oldMatches) return { type: 'DELETED', object: old };
  return undefined;
}
