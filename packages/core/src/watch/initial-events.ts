import type { KeyValue } from '../backend/types.js';
import { MAX_PAGE_LIMIT } from '../store/get-list.js';
import type { StoreContext } from '../store/store-context.js';
import type { StorageObject } from '../storage/object.js';

/**
 * Reads the current state of a key or prefix page by page, all pages pinned to the first page's revision, and hands
 * every kv to `visit` in key order. Returns that revision; throws the signal's reason once it aborts.
 */
export async function readInitialState<T extends StorageObject>(
  ctx: StoreContext<T>,
  backendKey: string,
  recursive: boolean,
  signal: AbortSignal,
  visit: (kv: KeyValue) => Promise<void>,
): Promise<number> {
  if (!recursive) {
    const got = await ctx.backend.get(backendKey, { signal });
    if (got.kv) await visit(got.kv);
    return got.revision;
  }
  let revision = 0;
  let continueKey: string | undefined;
  for (;;) {
    const page = await ctx.backend.list(backendKey, {
      signal,
      limit: MAX_PAGE_LIMIT,
      ...(revision > 0 ? { revision } : {}),
      ...(continueKey !== undefined ? { continueKey } : {}),
    });
    if (revision === 0) revision = page.revision;
    for (const kv of page.kvs) {
      // A stopped watch stops decoding now, not after the rest of a page of up to MAX_PAGE_LIMIT items.
      signal.throwIfAborted();
      await visit(kv);
    }
    const last = page.kvs[page.kvs.length - 1];
    if (!last || page.kvs.length >= page.count) return revision;
    continueKey = `${last.key}\0`;
  }
}
