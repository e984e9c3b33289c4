import type { KeyValue } from '../backend/types.js';
import { InternalError } from '../errors/internal-error.js';
import { newCorruptObjError } from '../errors/storage-error.js';
import type { StorageObject } from '../storage/object.js';
import type { StoreContext } from './store-context.js';
import type { MaybePromise, TransformFromResult } from '../transform/transformer.js';
import { goQuote } from '../selection/go-quote.js';
import { KeyTransformContext } from '../transform/key-context.js';

/** An object as read from the backend: decoded, with its plaintext bytes for the no-op comparison. */
export interface ObjectState<T> {
  readonly obj: T;
  /** Mod revision; 0 when the key does not exist. */
  readonly rev: number;
  /** Plaintext (after the transformer) encoded bytes; empty when the key does not exist. */
  readonly data: Uint8Array;
  /** Written by a non-primary transformer: rewrite even when unchanged. */
  readonly stale: boolean;
  readonly exists: boolean;
}

const EMPTY = new Uint8Array(0);

/**
 * Transforms a stored value back to plaintext; failures are InternalErrors with Go's reasons: the transformer's
 * own error for single-key reads (`NewInternalError(err)`), `unable to transform key "…": …` in lists.
 */
export function untransform<T extends StorageObject>(
  ctx: StoreContext<T>,
  kv: KeyValue,
  listing = false,
): MaybePromise<TransformFromResult> {
  let result: MaybePromise<TransformFromResult>;
  try {
    result = ctx.transformer.transformFromStorage(kv.value, new KeyTransformContext(kv.key));
  } catch (err) {
    throw readError(kv.key, err, listing);
  }
  return result instanceof Promise
    ? result.catch((err: unknown) => {
        throw readError(kv.key, err, listing);
      })
    : result;
}

function readError(key: string, err: unknown, listing: boolean): InternalError {
  const text = err instanceof Error ? err.message : String(err);
  return new InternalError(listing ? `unable to transform key ${goQuote(key)}: ${text}` : text, err);
}

/** Decodes plaintext bytes into an object carrying `resourceVersion = rev`; undecodable data is a CorruptObj error. */
export function decodeObject<T extends StorageObject>(ctx: StoreContext<T>, data: Uint8Array, rev: number, key: string): T {
  let obj: T;
  try {
    obj = ctx.codec.decode(data) as T;
  } catch (err) {
    ctx.metrics.recordDecodeError(ctx.groupResource);
    throw newCorruptObjError(key, err);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    ctx.metrics.recordDecodeError(ctx.groupResource);
    throw newCorruptObjError(key, new Error('stored value is not an object'));
  }
  obj.metadata ??= {};
  ctx.versioner.updateObject(obj, rev);
  return obj;
}

export async function stateFromKv<T extends StorageObject>(
  ctx: StoreContext<T>,
  kv: KeyValue | null,
  key: string,
  ignoreNotFound: boolean,
): Promise<ObjectState<T> | undefined> {
  if (!kv) {
    if (!ignoreNotFound) return undefined;
    const zero = ctx.newFunc();
    ctx.versioner.updateObject(zero, 0);
    return { obj: zero, rev: 0, data: EMPTY, stale: false, exists: false };
  }
  const { data, stale } = await untransform(ctx, kv);
  return { obj: decodeObject(ctx, data, kv.modRevision, key), rev: kv.modRevision, data, stale, exists: true };
}

/** State built from a caller's hint (`cachedExistingObject`): re-encoded to compare bytes, rev from its RV. */
export function stateFromObject<T extends StorageObject>(ctx: StoreContext<T>, obj: T): ObjectState<T> {
  const rev = ctx.versioner.objectResourceVersion(obj);
  return { obj: structuredClone(obj), rev, data: encodeForStorage(ctx, obj), stale: false, exists: true };
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Encodes an object for storage without its resourceVersion and selfLink (the caller's object is not touched). */
export function encodeForStorage<T extends StorageObject>(ctx: StoreContext<T>, obj: T): Uint8Array {
  // A shallow copy is enough: only metadata fields are cleared, and the codec does not mutate. Leaving the two
  // fields out (rather than deleting them) keeps the copy a fast-mode object, which serializes faster.
  const { resourceVersion: _rv, selfLink: _selfLink, ...metadata } = obj.metadata ?? {};
  return ctx.codec.encode({ ...obj, metadata });
}
