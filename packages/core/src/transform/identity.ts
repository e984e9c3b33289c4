import { hasPrefix, toBytes } from './bytes.js';
import { TransformError } from './errors.js';
import type { Transformer } from './transformer.js';

/** Kubernetes reserves this prefix for encrypted values at rest. */
export const ENCRYPTED_PREFIX = 'k8s:enc:';
const ENCRYPTED = toBytes(ENCRYPTED_PREFIX);

const isData = (data: unknown): data is Uint8Array => data instanceof Uint8Array;
// Failures stay asynchronous, like every other transformer's; only the common path answers synchronously.
const rejectData = () => Promise.reject(new TransformError('InvalidArgument', 'transformer data must be a Uint8Array'));

/**
 * Stores values as they are (Kubernetes `identity.NewEncryptCheckTransformer` without the check); never stale.
 *
 * @example
 * const store = createStore({ backend, transformer: identityTransformer });
 */
export const identityTransformer: Transformer = Object.freeze({
  transformFromStorage(data: Uint8Array) {
    return isData(data) ? { data, stale: false } : rejectData();
  },
  transformToStorage(data: Uint8Array) {
    return isData(data) ? data : rejectData();
  },
});

/**
 * The identity transformer that refuses to read encrypted data (values starting with `k8s:enc:`), so a
 * misconfigured server fails loudly instead of serving ciphertext (Kubernetes `NewEncryptCheckTransformer`).
 *
 * @example
 * await encryptCheckTransformer.transformFromStorage(bytes('k8s:enc:aesgcm:v1:k1:…'), ctx); // throws EncryptedData
 */
export const encryptCheckTransformer: Transformer = Object.freeze({
  transformFromStorage(data: Uint8Array) {
    if (!isData(data)) return rejectData();
    if (hasPrefix(data, ENCRYPTED)) {
      return Promise.reject(new TransformError('EncryptedData', 'identity transformer tried to read encrypted data'));
    }
    return { data, stale: false };
  },
  transformToStorage(data: Uint8Array) {
    return isData(data) ? data : rejectData();
  },
});
