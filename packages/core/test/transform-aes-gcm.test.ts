import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesGcmEncryption } from '../src/transform/aes-gcm-encryption.js';
import { aesGcmTransformer } from '../src/transform/aes-gcm.js';
import { TransformError } from '../src/transform/errors.js';
import { bytes, rejection, text } from './transform-helpers.js';
import type { TransformContext } from '../src/transform/transformer.js';

const keyOf = (size: number) => new Uint8Array(randomBytes(size));
const at = (key: string): TransformContext => ({ authenticatedData: bytes(key) });
const S1 = at('/registry/secrets/default/s1');
const S2 = at('/registry/secrets/default/s2');
const PLAIN = bytes('{"kind":"Secret","data":{"password":"hunter2"}}');


function syncError(fn: () => unknown): TransformError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TransformError);
    return err as TransformError;
  }
  throw new Error('expected a TransformError');
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle));
}

describe('aesGcmTransformer', () => {
  it.each([16, 24, 32])('round-trips with a %i-byte key', async (size) => {
    const t = aesGcmTransformer(keyOf(size));
    const stored = await t.transformToStorage(PLAIN, S1);
    expect(stored).toHaveLength(12 + PLAIN.length + 16);
    expect(contains(stored, bytes('hunter2'))).toBe(false);
    expect(await t.transformFromStorage(stored, S1)).toEqual({ data: PLAIN, stale: false });
  });

  it('round-trips an empty value', async () => {
    const t = aesGcmTransformer(keyOf(32));
    const stored = await t.transformToStorage(new Uint8Array(0), S1);
    expect(stored).toHaveLength(28);
    expect((await t.transformFromStorage(stored, S1)).data).toEqual(new Uint8Array(0));
  });

  it('uses a fresh nonce for every write', async () => {
    const t = aesGcmTransformer(keyOf(32));
    const a = await t.transformToStorage(PLAIN, S1);
    const b = await t.transformToStorage(PLAIN, S1);
    expect(Buffer.from(a.subarray(0, 12)).equals(Buffer.from(b.subarray(0, 12)))).toBe(false);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('binds the value to its key: a copy under another key does not decrypt', async () => {
    const t = aesGcmTransformer(keyOf(32));
    const stored = await t.transformToStorage(PLAIN, S1);
    const err = await rejection(t.transformFromStorage(stored, S2));
    expect(err.code).toBe('DecryptFailed');
    expect(err.message).toBe('cipher: message authentication failed');
  });

  it.each([
    ['nonce', 0],
    ['ciphertext', 20],
    ['tag', -1],
  ])('detects a tampered %s', async (_part, index) => {
    const t = aesGcmTransformer(keyOf(32));
    const stored = await t.transformToStorage(PLAIN, S1);
    const tampered = Uint8Array.from(stored);
    const i = index < 0 ? tampered.length + index : index;
    tampered[i] = tampered[i]! ^ 0x01;
    expect((await rejection(t.transformFromStorage(tampered, S1))).code).toBe('DecryptFailed');
  });

  it('rejects a truncated value', async () => {
    const t = aesGcmTransformer(keyOf(32));
    const stored = await t.transformToStorage(PLAIN, S1);
    expect((await rejection(t.transformFromStorage(stored.subarray(0, stored.length - 1), S1))).code).toBe('DecryptFailed');
    const short = await rejection(t.transformFromStorage(stored.subarray(0, 27), S1));
    expect(short.code).toBe('DecryptFailed');
    expect(short.message).toBe('the stored data was shorter than the required size');
  });

  it('does not decrypt with another key', async () => {
    const stored = await aesGcmTransformer(keyOf(32)).transformToStorage(PLAIN, S1);
    expect((await rejection(aesGcmTransformer(keyOf(32)).transformFromStorage(stored, S1))).code).toBe('DecryptFailed');
  });

  it.each([0, 1, 15, 17, 31, 33, 64])('rejects a %i-byte key', (size) => {
    const err = syncError(() => aesGcmTransformer(new Uint8Array(size)));
    expect(err.code).toBe('InvalidKey');
    expect(err.message).toBe(`invalid AES key size ${size}: must be 16, 24 or 32 bytes`);
  });

  it('rejects a key that is not bytes', () => {
    expect(syncError(() => aesGcmTransformer('0123456789abcdef' as unknown as Uint8Array)).code).toBe('InvalidKey');
  });

  it('keeps working when the caller later overwrites its key buffer', async () => {
    const key = keyOf(32);
    const t = aesGcmTransformer(key);
    const stored = await t.transformToStorage(PLAIN, S1);
    key.fill(0);
    expect((await t.transformFromStorage(stored, S1)).data).toEqual(PLAIN);
  });

  it('reports a missing context instead of crashing', async () => {
    const t = aesGcmTransformer(keyOf(16));
    const noCtx = undefined as unknown as TransformContext;
    expect((await rejection(t.transformToStorage(PLAIN, noCtx))).code).toBe('InvalidArgument');
    expect((await rejection(t.transformFromStorage(new Uint8Array(40), noCtx))).code).toBe('InvalidArgument');
  });
});

describe('aesGcmEncryption', () => {
  const key1 = { name: 'key1', secret: keyOf(32) };
  const key2 = { name: 'key2', secret: keyOf(32) };

  it('writes Kubernetes-style prefixed values and reads them back', async () => {
    const t = aesGcmEncryption([key1]);
    const stored = await t.transformToStorage(PLAIN, S1);
    expect(text(stored.subarray(0, 23))).toBe('k8s:enc:aesgcm:v1:key1:');
    expect(stored).toHaveLength(23 + 12 + PLAIN.length + 16);
    expect(await t.transformFromStorage(stored, S1)).toEqual({ data: PLAIN, stale: false });
  });

  it('rotates keys: values of an older key read as stale, new writes use the first key', async () => {
    const old = await aesGcmEncryption([key1]).transformToStorage(PLAIN, S1);
    const rotated = aesGcmEncryption([key2, key1]);
    expect(await rotated.transformFromStorage(old, S1)).toEqual({ data: PLAIN, stale: true });
    const rewritten = await rotated.transformToStorage(PLAIN, S1);
    expect(text(rewritten.subarray(0, 23))).toBe('k8s:enc:aesgcm:v1:key2:');
    expect(await rotated.transformFromStorage(rewritten, S1)).toEqual({ data: PLAIN, stale: false });

    const err = await rejection(aesGcmEncryption([key2]).transformFromStorage(old, S1));
    expect(err.code).toBe('NoMatchingTransformer');
    expect(err.message).toBe('no matching key was found for the provided AES transformer');
  });

  it('fails when a key name now holds a different secret', async () => {
    const stored = await aesGcmEncryption([key1]).transformToStorage(PLAIN, S1);
    const replaced = aesGcmEncryption([{ name: 'key1', secret: keyOf(32) }]);
    expect((await rejection(replaced.transformFromStorage(stored, S1))).code).toBe('DecryptFailed');
  });

  it('binds values to their backend key', async () => {
    const t = aesGcmEncryption([key1]);
    const stored = await t.transformToStorage(PLAIN, S1);
    expect((await rejection(t.transformFromStorage(stored, S2))).code).toBe('DecryptFailed');
  });

  it('refuses unencrypted values unless the identity fallback is allowed', async () => {
    const strict = await rejection(aesGcmEncryption([key1]).transformFromStorage(PLAIN, S1));
    expect(strict.code).toBe('NoMatchingTransformer');
    expect(strict.message).toBe('the provided value does not match any of the supported transformers');

    const lenient = aesGcmEncryption([key1], { allowIdentityFallback: true });
    expect(await lenient.transformFromStorage(PLAIN, S1)).toEqual({ data: PLAIN, stale: true });
    const stored = await lenient.transformToStorage(PLAIN, S1);
    expect(text(stored.subarray(0, 23))).toBe('k8s:enc:aesgcm:v1:key1:');
  });

  it('never hands out ciphertext as plaintext through the identity fallback', async () => {
    const foreign = await aesGcmEncryption([key2]).transformToStorage(PLAIN, S1);
    const lenient = aesGcmEncryption([key1], { allowIdentityFallback: true });
    expect((await rejection(lenient.transformFromStorage(foreign, S1))).code).toBe('NoMatchingTransformer');
    const otherProvider = bytes('k8s:enc:secretbox:v1:key1:abcdef');
    expect((await rejection(lenient.transformFromStorage(otherProvider, S1))).code).toBe('NoMatchingTransformer');
  });

  it.each([
    ['no keys', [], 'InvalidConfig', 'aesgcm encryption needs at least one key'],
    ['an empty name', [{ name: '', secret: keyOf(32) }], 'InvalidConfig', 'key name must not be empty'],
    ['a name with a colon', [{ name: 'a:b', secret: keyOf(32) }], 'InvalidConfig', 'key name "a:b" must not contain \':\''],
    ['duplicate names', [key1, { name: 'key1', secret: keyOf(16) }], 'InvalidConfig', 'duplicate key name "key1"'],
    ['a short secret', [{ name: 'k', secret: keyOf(10) }], 'InvalidKey', 'key "k": invalid AES key size 10: must be 16, 24 or 32 bytes'],
  ] as const)('rejects %s', (_case, keys, code, message) => {
    const err = syncError(() => aesGcmEncryption(keys));
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
  });
});
