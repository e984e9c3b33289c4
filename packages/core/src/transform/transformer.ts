/** What a transformer may bind its output to: the full backend key, so ciphertext cannot move between keys. */
export interface TransformContext {
  readonly authenticatedData: Uint8Array;
}

export interface TransformFromResult {
  readonly data: Uint8Array;
  /** The value was not written by the primary transformer; the next update rewrites it even if unchanged. */
  readonly stale: boolean;
}

/** A value or a promise of it: transformers that need no I/O may answer synchronously, saving a tick per read. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Transforms values on their way to and from storage (encryption at rest), Kubernetes `value.Transformer`.
 *
 * @example
 * const store = createStore({ backend, resourcePrefix: "/secrets/", transformer: aesGcmEncryption([{ name: "key1", secret }]) });
 */
export interface Transformer {
  transformFromStorage(data: Uint8Array, context: TransformContext): MaybePromise<TransformFromResult>;
  transformToStorage(data: Uint8Array, context: TransformContext): MaybePromise<Uint8Array>;
}
