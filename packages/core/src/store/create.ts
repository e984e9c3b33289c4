import { InvalidError, InternalError, ResourceVersionSetOnCreateError } from '../errors/internal-error.js';
import { newKeyExistsError } from '../errors/storage-error.js';
import type { StorageObject } from '../storage/object.js';
import type { CreateOptions } from '../storage/options.js';
import { mapBackendError, throwIfAborted } from './backend-errors.js';
import { decodeObject, encodeForStorage } from './object-state.js';
import type { StoreContext } from './store-context.js';
import { KeyTransformContext } from '../transform/key-context.js';

export function validateTtl(ttlSeconds: number | undefined): number {
  const ttl = ttlSeconds ?? 0;
  if (!Number.isSafeInteger(ttl) || ttl < 0) {
    throw new InvalidError([{ field: 'ttl', value: String(ttlSeconds), detail: 'must be a non-negative integer of seconds' }]);
  }
  return ttl;
}

/** Go's check: only a parsable, non-zero resourceVersion counts as set (anything else is cleared on write). */
function hasResourceVersion<T extends StorageObject>(ctx: StoreContext<T>, obj: T): boolean {
  try {
    return ctx.versioner.objectResourceVersion(obj) !== 0;
  } catch {
    return false;
  }
}

export async function transformForStorage<T extends StorageObject>(
  ctx: StoreContext<T>,
  data: Uint8Array,
  backendKey: string,
): Promise<Uint8Array> {
  try {
    return await ctx.transformer.transformToStorage(data, new KeyTransformContext(backendKey));
  } catch (err) {
    throw new InternalError((err as Error).message, err);
  }
}

export async function createObject<T extends StorageObject>(
  ctx: StoreContext<T>,
  key: string,
  obj: T,
  opts: CreateOptions,
): Promise<T> {
  const backendKey = ctx.backendKey(key, false);
  if (hasResourceVersion(ctx, obj)) throw new ResourceVersionSetOnCreateError();
  const ttl = validateTtl(opts.ttlSeconds);
  throwIfAborted(opts.signal);
  const data = encodeForStorage(ctx, obj);
  const signal = opts.signal ? { signal: opts.signal } : {};
  try {
    const leaseId = ttl > 0 ? await ctx.leaseManager.getLease(ttl, opts.signal) : '0';
    const stored = await transformForStorage(ctx, data, backendKey);
    const put = await ctx.backend.optimisticPut(backendKey, stored, 0, { ...signal, leaseId });
    if (!put.succeeded) throw newKeyExistsError(key, 0);
    return decodeObject(ctx, data, put.revision, key);
  } catch (err) {
    throw mapBackendError(err, key);
  }
}
