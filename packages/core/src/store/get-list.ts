import { isBackendError } from '../backend/errors.js';
import type { ListResult } from '../backend/types.js';
import {
  CONTINUE_EXPIRED,
  CONTINUE_TOO_OLD,
  LIST_TOO_OLD,
  newResourceExpired,
  newTooLargeResourceVersionError,
} from '../errors/api-errors.js';
import { newTimeoutError } from '../errors/storage-error.js';
import type { ObjectList, StorageObject } from '../storage/object.js';
import type { ListOptions } from '../storage/options.js';
import { mapBackendError, throwIfAborted } from './backend-errors.js';
import { encodeContinue } from './continue-token.js';
import { validateMinimumResourceVersion } from './get.js';
import { requestedRevision } from './versioner.js';
import { validateListOptions } from './list-options.js';
import { decodeObject, untransform } from './object-state.js';
import { compilePredicate } from './predicate-matcher.js';
import type { StoreContext } from './store-context.js';

/** Largest page read from the backend when filtered pages come back short (Kubernetes `maxLimit`). */
export const MAX_PAGE_LIMIT = 10_000;

/**
 * Kubernetes `GetList`: one consistent snapshot across pages (pinned to the first page's revision), filtering as it
 * goes and doubling the backend page size when a filtered page comes back short; continue tokens are byte-compatible.
 */
export async function getList<T extends StorageObject>(
  ctx: StoreContext<T>,
  key: string,
  opts: ListOptions<T>,
): Promise<ObjectList<T>> {
  const recursive = opts.recursive ?? false;
  const keyPrefix = ctx.backendKey(key, recursive);
  const matcher = compilePredicate(opts.predicate);
  const plan = validateListOptions(keyPrefix, opts as ListOptions<never>);
  throwIfAborted(opts.signal);
  const paging = matcher.limit > 0;
  let withRev = plan.withRev;
  let continueKey = plan.continueKey;
  let pageLimit = matcher.limit;
  const items: T[] = [];
  let lastKey = '';
  let hasMore = false;
  let count = 0;
  const signal = opts.signal;
  let fetched = 0;
  let evaluated = 0;
  // Recorded whether the list succeeds or not, as Kubernetes does (deferred in GetList).
  try {
    for (;;) {
      const res = await readPage(ctx, keyPrefix, recursive, withRev, pageLimit, continueKey, signal, {
        continuing: (opts.predicate?.continue ?? '') !== '' && recursive,
        resourceVersion: opts.resourceVersion,
      });
      validateMinimumResourceVersion(plan.minimumRevision, res.revision, opts.resourceVersion);
      count = res.count;
      hasMore = res.kvs.length < res.count;
      if (res.kvs.length === 0 && hasMore) {
        throw new Error('no results were found, but the backend indicated there were more values remaining');
      }
      if (withRev === 0) withRev = res.revision;
      fetched += res.kvs.length;
      for (const kv of res.kvs) {
        if (paging && items.length >= matcher.limit) {
          hasMore = true;
          break;
        }
        lastKey = kv.key;
        const pending = untransform(ctx, kv, true);
        const { data } = pending instanceof Promise ? await pending : pending;
        if (signal?.aborted) throw newTimeoutError(kv.key, 'request did not complete within requested timeout');
        const obj = decodeObject(ctx, data, kv.modRevision, kv.key);
        evaluated++;
        if (matcher.matches(obj)) items.push(obj);
      }
      continueKey = `${lastKey}\0`;
      if (!hasMore || !paging) break;
      if (items.length >= matcher.limit) break;
      if (pageLimit < MAX_PAGE_LIMIT) pageLimit = Math.min(pageLimit * 2, MAX_PAGE_LIMIT);
    }
  } finally {
    ctx.metrics.recordList(ctx.groupResource, { fetched, evaluated, returned: items.length });
  }

  const list: ObjectList<T> = { items, metadata: { resourceVersion: '' } };
  let token = '';
  let remaining: number | undefined;
  if (hasMore) {
    if (matcher.empty) remaining = count - matcher.limit;
    token = encodeContinue(`${lastKey}\0`, keyPrefix, withRev);
  }
  ctx.versioner.updateList(list, withRev, token, remaining);
  return list;
}

async function readPage<T extends StorageObject>(
  ctx: StoreContext<T>,
  keyPrefix: string,
  recursive: boolean,
  revision: number,
  limit: number,
  continueKey: string,
  signal: AbortSignal | undefined,
  { continuing, resourceVersion }: { continuing: boolean; resourceVersion: string | undefined },
): Promise<ListResult> {
  const base = { ...(revision > 0 ? { revision } : {}), ...(signal ? { signal } : {}) };
  try {
    if (!recursive) {
      const got = await ctx.backend.get(keyPrefix, base);
      return { kvs: got.kv ? [got.kv] : [], count: got.kv ? 1 : 0, revision: revision > 0 ? revision : got.revision };
    }
    return await ctx.backend.list(keyPrefix, {
      ...base,
      ...(limit > 0 ? { limit } : {}),
      ...(continueKey !== '' ? { continueKey } : {}),
    });
  } catch (err) {
    if (isBackendError(err, 'Compacted')) {
      ctx.observeCompaction(err.compactRevision ?? 0);
      if (!continuing) throw newResourceExpired(LIST_TOO_OLD);
      // rv −1: the caller may continue at the latest revision, accepting an inconsistent list.
      let token: string | undefined;
      try {
        token = encodeContinue(continueKey, keyPrefix, -1);
      } catch {
        token = undefined;
      }
      throw token ? newResourceExpired(CONTINUE_TOO_OLD, token) : newResourceExpired(CONTINUE_EXPIRED);
    }
    if (isBackendError(err, 'FutureRevision')) {
      throw newTooLargeResourceVersionError(requestedRevision(revision, resourceVersion), err.currentRevision ?? 0, 0);
    }
    throw mapBackendError(err, keyPrefix);
  }
}
