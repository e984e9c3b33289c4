import { InvalidError, InternalError, ResourceVersionSetOnCreateError } from '../errors/internal-error.js';
import { newKeyExistsError } from '../errors/storage-error.js';
import type { StorageObject } from '../storage/object.js';
import type { CreateOptions } from '../storage/options.js';
import { mapBackendError, throwIfAborted } from './backend-errors.js';
import { decodeObject, encodeForStorage } from './object-state.js';
import type { StoreContext } from './store-context.js';
import { KeyTransformContext } from '../transform/key-context.js';
import type { MaybePromise } from '../transform/transformer.js';

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

const writeError = (err: unknown): InternalError => new InternalError((err as Error).message, err);
const rethrowWriteError = (err: unknown): never => {
  throw writeError(err);
};

/** Transforms a value for storage; failures are InternalErrors. Synchronous transformers cost no extra tick. */
export function transformForStorage<T extends StorageObject>(
  ctx: StoreContext<T>,
  data: Uint8Array,
  backendKey: string,
): MaybePromise<Uint8Array> {
  let out: MaybePromise<Uint8Array>;
  try {
    out = ctx.transformer.transformToStorage(data, new KeyTransformContext(backendKey));
  } catch (err) {
    throw writeError(err);
  }
  return out instanceof Promise ? out.catch(rethrowWriteError) : out;
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
  try {
    const leaseId = ttl > 0 ? await ctx.leaseManager.getLease(ttl, opts.signal) : '0';
    const pending = transformForStorage(ctx, data, backendKey);
    const stored = pending instanceof Promise ? await pending : pending;
    const put = await ctx.backend.optimisticPut(
      backendKey,
      stored,
      0,
      opts.signal ? { signal: opts.signal, leaseId } : { leaseId },
    );
    if (!put.succeeded) throw newKeyExistsError(backendKey, 0);
    return decodeObject(ctx, data, put.revision, backendKey);
  } catch (err) {
    throw mapBackendError(err, backendKey);
  }
}
