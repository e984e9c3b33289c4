import { checkData, hasPrefix, toBytes } from './bytes.js';
import { TransformError } from './errors.js';
import type { Transformer } from './transformer.js';

/** Kubernetes reserves this prefix for encrypted values at rest. */
export const ENCRYPTED_PREFIX = 'k8s:enc:';
const ENCRYPTED = toBytes(ENCRYPTED_PREFIX);

/**
 * Stores values as they are (Kubernetes `identity.NewEncryptCheckTransformer` without the check); never stale.
 *
 * @example
 * const store = createStore({ backend, transformer: identityTransformer });
 */
export const identityTransformer: Transformer = Object.freeze({
  async transformFromStorage(data: Uint8Array) {
    checkData(data);
    return { data, stale: false };
  },
  async transformToStorage(data: Uint8Array) {
    checkData(data);
    return data;
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
  async transformFromStorage(data: Uint8Array) {
    checkData(data);
    if (hasPrefix(data, ENCRYPTED)) {
      throw new TransformError('EncryptedData', 'identity transformer tried to read encrypted data');
    }
    return { data, stale: false };
  },
  async transformToStorage(data: Uint8Array) {
    checkData(data);
    return data;
  },
});
