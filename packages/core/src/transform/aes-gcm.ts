import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { authenticatedDataOf, checkData, plain } from './bytes.js';
import { TransformError } from './errors.js';
import type { TransformContext, TransformFromResult, Transformer } from './transformer.js';

const NONCE_SIZE = 12;
const TAG_SIZE = 16;
const ALGORITHMS: ReadonlyMap<number, 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm'> = new Map([
  [16, 'aes-128-gcm'],
  [24, 'aes-192-gcm'],
  [32, 'aes-256-gcm'],
]);

/**
 * Authenticated encryption with AES-GCM (Kubernetes `aes.NewGCMTransformer`): every write draws a random
 * 12-byte nonce and stores `nonce || ciphertext || 16-byte tag`; the context's `authenticatedData` (the full
 * backend key) is bound as additional data, so a value copied under another key fails to decrypt.
 * Reads are never stale on their own; wrap it in prefixTransformers (or use aesGcmEncryption) for rotation.
 *
 * @throws TransformError `InvalidKey` unless the key is 16, 24 or 32 bytes.
 * @example
 * const transformer = aesGcmTransformer(crypto.getRandomValues(new Uint8Array(32)));
 */
export function aesGcmTransformer(key: Uint8Array): Transformer {
  if (!(key instanceof Uint8Array)) throw new TransformError('InvalidKey', 'AES-GCM key must be a Uint8Array');
  const algorithm = ALGORITHMS.get(key.length);
  if (algorithm === undefined) {
    throw new TransformError('InvalidKey', `invalid AES key size ${key.length}: must be 16, 24 or 32 bytes`);
  }
  // createSecretKey copies the bytes, so later changes to `key` do not affect this transformer.
  const secret: KeyObject = createSecretKey(key);

  return {
    async transformToStorage(data: Uint8Array, context: TransformContext): Promise<Uint8Array> {
      checkData(data);
      const aad = authenticatedDataOf(context);
      const nonce = randomBytes(NONCE_SIZE);
      const cipher = createCipheriv(algorithm, secret, nonce, { authTagLength: TAG_SIZE });
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(data), cipher.final()]);
      return plain(Buffer.concat([nonce, body, cipher.getAuthTag()]));
    },

    async transformFromStorage(data: Uint8Array, context: TransformContext): Promise<TransformFromResult> {
      checkData(data);
      const aad = authenticatedDataOf(context);
      if (data.length < NONCE_SIZE + TAG_SIZE) {
        throw new TransformError('DecryptFailed', 'the stored data was shorter than the required size');
      }
      const nonce = data.subarray(0, NONCE_SIZE);
      const body = data.subarray(NONCE_SIZE, data.length - TAG_SIZE);
      const tag = data.subarray(data.length - TAG_SIZE);
      try {
        const decipher = createDecipheriv(algorithm, secret, nonce, { authTagLength: TAG_SIZE });
        decipher.setAuthTag(tag);
        decipher.setAAD(aad);
        const out = Buffer.concat([decipher.update(body), decipher.final()]);
        return { data: plain(out), stale: false };
      } catch (cause) {
        throw new TransformError('DecryptFailed', 'cipher: message authentication failed', { cause });
      }
    },
  };
}
