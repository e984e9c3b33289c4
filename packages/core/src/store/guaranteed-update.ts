import type { StorageObject } from '../storage/object.js';
import { isUpdateWithTtl, type GuaranteedUpdateOptions } from '../storage/options.js';
import { mapBackendError, throwIfAborted } from './backend-errors.js';
import { transformForStorage, validateTtl } from './create.js';
import { checkWithStaleRetry, startLoop } from './current-state.js';
import { bytesEqual, decodeObject, encodeForStorage, stateFromKv } from './object-state.js';
import { checkPreconditions } from './preconditions.js';
import type { StoreContext } from './store-context.js';

/**
 * Kubernetes `GuaranteedUpdate`: read (or trust a hint), apply `tryUpdate`, skip the write when the bytes are
 * unchanged and not stale, otherwise CAS on the mod revision and retry on conflict with the fresh state.
 */
export async function guaranteedUpdate<T extends StorageObject>(
  ctx: StoreContext<T>,
  key: string,
  opts: GuaranteedUpdateOptions<T>,
): Promise<T> {
  const backendKey = ctx.backendKey(key, false);
  throwIfAborted(opts.signal);
  const ignoreNotFound = opts.ignoreNotFound ?? false;
  const { state, reread } = await startLoop(ctx, backendKey, opts);
  for (;;) {
    throwIfAborted(opts.signal);
    const pre = await checkWithStaleRetry(state, () => checkPreconditions(backendKey, opts.preconditions, state.current.obj), reread);
    if (pre === 'retry') continue;

    let updated: T | undefined;
    let ttl = 0;
    const attempt = await checkWithStaleRetry(
      state,
      async () => {
        const result = await opts.tryUpdate(structuredClone(state.current.obj), {
          resourceVersion: state.current.rev,
          ttl: 0,
        });
        if (isUpdateWithTtl(result)) {
          updated = result.object;
          ttl = validateTtl(result.ttlSeconds);
        } else {
          updated = result;
        }
      },
      reread,
    );
    if (attempt === 'retry') continue;
    if (typeof updated !== 'object' || updated === null) {
      // Retrying would spin forever on a tryUpdate that forgot to return its result.
      throw new TypeError(`tryUpdate for ${key} must return the updated object, got ${String(updated)}`);
    }

    const data = encodeForStorage(ctx, updated);
    if (!state.current.stale && bytesEqual(data, state.current.data)) {
      if (!state.isLive) {
        state.current = await reread();
        state.isLive = true;
        if (!bytesEqual(data, state.current.data)) continue;
      }
      if (!state.current.stale) return decodeObject(ctx, state.current.data, state.current.rev, backendKey);
    }

    let txn;
    try {
      const stored = await transformForStorage(ctx, data, backendKey);
      const leaseId = ttl > 0 ? await ctx.leaseManager.getLease(ttl, opts.signal) : '0';
      txn = await ctx.backend.optimisticPut(backendKey, stored, state.current.rev, {
        getOnFailure: true,
        leaseId,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      throw mapBackendError(err, backendKey);
    }
    if (!txn.succeeded) {
      const fresh = await stateFromKv(ctx, txn.kv, backendKey, ignoreNotFound);
      if (!fresh) state.current = await reread(); // raises NotFound
      else state.current = fresh;
      state.isLive = true;
      continue;
    }
    return decodeObject(ctx, data, txn.revision, backendKey);
  }
}
