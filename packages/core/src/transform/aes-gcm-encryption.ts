import { aesGcmTransformer } from './aes-gcm.js';
import { TransformError } from './errors.js';
import { encryptCheckTransformer } from './identity.js';
import { prefixTransformers, type PrefixTransformerEntry } from './prefix-transformers.js';
import type { Transformer } from './transformer.js';

/** Prefix of values written by the Kubernetes `aesgcm` encryption provider. */
export const AES_GCM_PREFIX = 'k8s:enc:aesgcm:v1:';

/** A named AES key; the name is stored in clear in each value's prefix so the right key decrypts it. */
export interface AesGcmKey {
  readonly name: string;
  /** 16, 24 or 32 bytes. */
  readonly secret: Uint8Array;
}

export interface AesGcmEncryptionOptions {
  /** Also read unencrypted (unprefixed) values, as stale, so they get encrypted on their next update. */
  readonly allowIdentityFallback?: boolean;
}

/**
 * Encryption at rest as the Kubernetes `aesgcm` provider configures it: values are written with the first key
 * as `k8s:enc:aesgcm:v1:<name>:<nonce|ciphertext|tag>`; the other keys only read, and such reads are stale so
 * the next update re-encrypts them with the first key (key rotation).
 *
 * @throws TransformError `InvalidConfig` (no keys, empty/duplicate names or a name with ':') or `InvalidKey`.
 * @example
 * const transformer = aesGcmEncryption([{ name: 'key2', secret: key2 }, { name: 'key1', secret: key1 }]);
 */
export function aesGcmEncryption(keys: readonly AesGcmKey[], options: AesGcmEncryptionOptions = {}): Transformer {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new TransformError('InvalidConfig', 'aesgcm encryption needs at least one key');
  }
  const seen = new Set<string>();
  const entries: PrefixTransformerEntry[] = keys.map(({ name, secret }) => {
    if (typeof name !== 'string' || name === '') throw new TransformError('InvalidConfig', 'key name must not be empty');
    // The name ends at the first ':', so a name containing one could shadow another key's prefix.
    if (name.includes(':')) throw new TransformError('InvalidConfig', `key name ${JSON.stringify(name)} must not contain ':'`);
    if (seen.has(name)) throw new TransformError('InvalidConfig', `duplicate key name ${JSON.stringify(name)}`);
    seen.add(name);
    try {
      return { prefix: `${name}:`, transformer: aesGcmTransformer(secret) };
    } catch (err) {
      if (!(err instanceof TransformError)) throw err;
      throw new TransformError(err.code, `key ${JSON.stringify(name)}: ${err.message}`, { cause: err });
    }
  });
  const byKeyName = prefixTransformers(
    new TransformError('NoMatchingTransformer', 'no matching key was found for the provided AES transformer'),
    ...entries,
  );
  const providers: PrefixTransformerEntry[] = [{ prefix: AES_GCM_PREFIX, transformer: byKeyName }];
  if (options.allowIdentityFallback === true) providers.push({ prefix: '', transformer: encryptCheckTransformer });
  return prefixTransformers(undefined, ...providers);
}
