import type { StorageObject } from '../storage/object.js';
import type { DeleteOptions } from '../storage/options.js';
import { mapBackendError, throwIfAborted } from './backend-errors.js';
import { checkWithStaleRetry, requireState, startLoop } from './current-state.js';
import { decodeObject, stateFromKv } from './object-state.js';
import { checkPreconditions } from './preconditions.js';
import type { StoreContext } from './store-context.js';

/** Kubernetes `conditionalDelete`: preconditions and validation against fresh state, then a CAS delete, retried. */
export async function deleteObject<T extends StorageObject>(
  ctx: StoreContext<T>,
  key: string,
  opts: DeleteOptions<T>,
): Promise<T> {
  const backendKey = ctx.backendKey(key, false);
  throwIfAborted(opts.signal);
  const { state, reread } = await startLoop(ctx, backendKey, opts);
  for (;;) {
    throwIfAborted(opts.signal);
    const pre = await checkWithStaleRetry(state, () => checkPreconditions(backendKey, opts.preconditions, state.current.obj), reread);
    if (pre === 'retry') continue;
    const validate = opts.validateDeletion;
    if (validate) {
      const signal = opts.signal;
      const checked = await checkWithStaleRetry(
        state,
        () => validate(structuredClone(state.current.obj), signal ? { signal } : {}),
        reread,
      );
      if (checked === 'retry') continue;
    }
    let txn;
    try {
      txn = await ctx.backend.optimisticDelete(backendKey, state.current.rev, {
        getOnFailure: true,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      throw mapBackendError(err, backendKey);
    }
    if (!txn.succeeded) {
      state.current = requireState(await stateFromKv(ctx, txn.kv, backendKey, false), backendKey);
      state.isLive = true;
      continue;
    }
    return decodeObject(ctx, state.current.data, txn.revision, backendKey);
  }
}
