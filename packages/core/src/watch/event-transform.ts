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
 * A non-create event without its previous value (e.g. the previous revision was compacted first). The wording is
 * Kubernetes' `parseEvent` error, which an apiserver reports whatever the backend behind its etcd client is.
 */
function prevKvMissing(event: BackendWatchEvent): Error {
  const type = event.type === 'delete' ? 'DELETE' : 'PUT';
  const { key, modRevision } = event.kv;
  return new Error(
    `etcd event received with PrevKv=nil (key=${JSON.stringify(key)}, modRevision=${modRevision}, type=${type})`,
  );
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
  if (event.type === 'put' && event.kv.createRevision === rev) {
    const created = await decodeKv(ctx, event.kv, rev);
    return matcher.matches(created) ? { type: 'ADDED', object: created } : undefined;
  }
  // Checked before anything is decoded, whatever the predicate: without the previous value the watch cannot tell
  // what changed, so it reports ERROR rather than guess MODIFIED.
  const prevKv = event.prevKv;
  if (!prevKv) throw prevKvMissing(event);
  if (event.type === 'delete') {
    const old = await decodeKv(ctx, prevKv, rev);
    return matcher.matches(old) ? { type: 'DELETED', object: old } : undefined;
  }
  const current = await decodeKv(ctx, event.kv, rev);
  if (matcher.empty) return { type: 'MODIFIED', object: current };
  const curMatches = matcher.matches(current);
  const old = await decodeKv(ctx, prevKv, rev);
  const oldMatches = matcher.matches(old);
  if (curMatches && oldMatches) return { type: 'MODIFIED', object: current };
  if (curMatches) return { type: 'ADDED', object: current };
  if (oldMatches) return { type: 'DELETED', object: old };
  return undefined;
}
