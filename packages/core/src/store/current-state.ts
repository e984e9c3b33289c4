import { newKeyNotFoundError } from '../errors/storage-error.js';
import type { StorageObject } from '../storage/object.js';
import { mapBackendError } from './backend-errors.js';
import { stateFromKv, stateFromObject, type ObjectState } from './object-state.js';
import type { StoreContext } from './store-context.js';

/** Reads the live state of a key; a missing key is NotFound unless `ignoreNotFound` yields the zero object. */
export async function readCurrentState<T extends StorageObject>(
  ctx: StoreContext<T>,
  backendKey: string,
  ignoreNotFound: boolean,
  signal: AbortSignal | undefined,
): Promise<ObjectState<T>> {
  let res;
  try {
    res = await ctx.backend.get(backendKey, signal ? { signal } : {});
  } catch (err) {
    throw mapBackendError(err, backendKey);
  }
  return requireState(await stateFromKv(ctx, res.kv, backendKey, ignoreNotFound), backendKey);
}

export function requireState<T>(state: ObjectState<T> | undefined, key: string): ObjectState<T> {
  if (!state) throw newKeyNotFoundError(key, 0);
  return state;
}

/**
 * Runs a check against a state that may come from a stale hint. On failure with hinted state, re-reads: if the
 * live revision equals the hinted one the hint was fresh and the error stands; otherwise the caller retries.
 */
export async function checkWithStaleRetry<T extends StorageObject>(
  state: LoopState<T>,
  check: () => void | Promise<void>,
  reread: () => Promise<ObjectState<T>>,
): Promise<'ok' | 'retry'> {
  try {
    await check();
    return 'ok';
  } catch (err) {
    if (state.isLive) throw err;
    const hintedRev = state.current.rev;
    state.current = await reread();
    state.isLive = true;
    if (hintedRev === state.current.rev) throw err;
    return 'retry';
  }
}

/** Mutable read state of a read-modify-write loop: the state it works on and whether that state is live. */
export interface LoopState<T> {
  current: ObjectState<T>;
  isLive: boolean;
}

/**
 * Where delete and guaranteedUpdate start: the caller's hint if given (trusted until a check says otherwise),
 * else a live read. Returns the state and the re-read used whenever the hint proves stale.
 */
export async function startLoop<T extends StorageObject>(
  ctx: StoreContext<T>,
  backendKey: string,
  opts: { cachedExistingObject?: T | undefined; ignoreNotFound?: boolean | undefined; signal?: AbortSignal | undefined },
): Promise<{ state: LoopState<T>; reread: () => Promise<ObjectState<T>> }> {
  const reread = () => readCurrentState(ctx, backendKey, opts.ignoreNotFound ?? false, opts.signal);
  const state = opts.cachedExistingObject
    ? { current: stateFromObject(ctx, opts.cachedExistingObject), isLive: false }
    : { current: await reread(), isLive: true };
  return { state, reread };
}
