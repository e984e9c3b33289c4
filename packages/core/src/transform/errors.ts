/** Stable codes of transformer failures; messages may change, codes do not. */
export type TransformErrorCode =
  /** The identity (encrypt-check) transformer was handed data starting with `k8s:enc:`. */
  | 'EncryptedData'
  /** No prefix of a prefix chain matched the stored value. */
  | 'NoMatchingTransformer'
  /** An AES key is not 16, 24 or 32 bytes. */
  | 'InvalidKey'
  /** A transformer was built from unusable options (no keys, duplicate key names, …). */
  | 'InvalidConfig'
  /** Data or context passed to a transformer is not a Uint8Array. */
  | 'InvalidArgument'
  /** Authenticated decryption failed: wrong key, tampered or truncated data, or data moved from another key. */
  | 'DecryptFailed'
  /** Several matching transformers of a prefix chain failed; `errors` holds each failure. */
  | 'TransformFailed';

/**
 * A value transformer failed (Kubernetes' transformer errors); the store reports it as an InternalError.
 *
 * @example
 * try {
 *   await transformer.transformFromStorage(data, { authenticatedData: key });
 * } catch (err) {
 *   if (err instanceof TransformError && err.code === 'DecryptFailed') console.error('wrong key or tampered value');
 * }
 */
export class TransformError extends Error {
  override readonly name = 'TransformError';
  readonly code: TransformErrorCode;
  /** The individual failures behind a `TransformFailed` error; empty otherwise. */
  readonly errors: readonly unknown[];

  constructor(code: TransformErrorCode, message: string, options: { cause?: unknown; errors?: readonly unknown[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.errors = options.errors ?? [];
  }
}

export function isTransformError(err: unknown, code?: TransformErrorCode): err is TransformError {
  return err instanceof TransformError && (code === undefined || err.code === code);
}
