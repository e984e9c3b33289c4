import { newBadRequest, newTooLargeResourceVersionError } from '../errors/api-errors.js';
import { newKeyNotFoundError } from '../errors/storage-error.js';
import type { StorageObject } from '../storage/object.js';
import type { GetOptions } from '../storage/options.js';
import { mapBackendError, throwIfAborted } from './backend-errors.js';
import { decodeObject, untransform } from './object-state.js';
import type { StoreContext } from './store-context.js';
import { requestedRevision } from './versioner.js';

/** Fails with TooLargeResourceVersion when the store has not reached the requested minimum revision. */
export function validateMinimumResourceVersion(minimum: number, actual: number, resourceVersion?: string): void {
  if (minimum > actual) throw newTooLargeResourceVersionError(requestedRevision(minimum, resourceVersion), actual, 0);
}

export async function getObject<T extends StorageObject>(ctx: StoreContext<T>, key: string, opts: GetOptions): Promise<T> {
  const backendKey = ctx.backendKey(key, false);
  let minimum: number;
  try {
    minimum = ctx.versioner.parseResourceVersion(opts.resourceVersion);
  } catch (err) {
    throw newBadRequest(`invalid resource version: ${(err as Error).message}`, err);
  }
  throwIfAborted(opts.signal);
  let res;
  try {
    res = await ctx.backend.get(backendKey, opts.signal ? { signal: opts.signal } : {});
  } catch (err) {
    throw mapBackendError(err, backendKey);
  }
  validateMinimumResourceVersion(minimum, res.revision, opts.resourceVersion);
  if (!res.kv) {
    if (opts.ignoreNotFound) {
      const zero = ctx.newFunc();
      ctx.versioner.updateObject(zero, 0);
      return zero;
    }
    throw newKeyNotFoundError(backendKey, 0);
  }
  const pending = untransform(ctx, res.kv);
  const { data } = pending instanceof Promise ? await pending : pending;
  return decodeObject(ctx, data, res.kv.modRevision, backendKey);
}
