import { describe, expect, it } from 'vitest';
import { aesGcmTransformer } from '../src/transform/aes-gcm.js';
import { TransformError } from '../src/transform/errors.js';
import { encryptCheckTransformer, identityTransformer } from '../src/transform/identity.js';
import { prefixTransformers } from '../src/transform/prefix-transformers.js';
import { bytes, rejection, text } from './transform-helpers.js';
import type { TransformContext, Transformer } from '../src/transform/transformer.js';

const ctx: TransformContext = { authenticatedData: bytes('/registry/secrets/default/s1') };


// A small real transformer: upper-cases on write, lower-cases on read, and reports `stale` as configured.
function caseTransformer(stale = false): Transformer {
  return {
    async transformFromStorage(data) {
      return { data: bytes(text(data).toLowerCase()), stale };
    },
    async transformToStorage(data) {
      return bytes(text(data).toUpperCase());
    },
  };
}

describe('identityTransformer', () => {
  it('passes values through unchanged and never reports stale', async () => {
    const value = bytes('{"kind":"Pod"}');
    expect(await identityTransformer.transformToStorage(value, ctx)).toEqual(value);
    expect(await identityTransformer.transformFromStorage(value, ctx)).toEqual({ data: value, stale: false });
    const encrypted = bytes('k8s:enc:aesgcm:v1:k:xyz');
    expect((await identityTransformer.transformFromStorage(encrypted, ctx)).data).toEqual(encrypted);
  });

  it('rejects data that is not bytes with a typed error', async () => {
    const err = await rejection(identityTransformer.transformFromStorage('text' as unknown as Uint8Array, ctx));
    expect(err.code).toBe('InvalidArgument');
  });
});

describe('encryptCheckTransformer', () => {
  it('reads and writes plain values unchanged', async () => {
    const value = bytes('{"kind":"Secret"}');
    expect(await encryptCheckTransformer.transformToStorage(value, ctx)).toEqual(value);
    expect(await encryptCheckTransformer.transformFromStorage(value, ctx)).toEqual({ data: value, stale: false });
    expect((await encryptCheckTransformer.transformFromStorage(bytes('k8s:enc'), ctx)).data).toEqual(bytes('k8s:enc'));
  });

  it('refuses to return encrypted data as if it were plain', async () => {
    const err = await rejection(encryptCheckTransformer.transformFromStorage(bytes('k8s:enc:aesgcm:v1:k1:zzz'), ctx));
    expect(err.code).toBe('EncryptedData');
    expect(err.message).toBe('identity transformer tried to read encrypted data');
  });
});

describe('prefixTransformers', () => {
  it('writes with the first entry and prefixes its output', async () => {
    const t = prefixTransformers(undefined, { prefix: 'new:', transformer: caseTransformer() }, { prefix: 'old:', transformer: identityTransformer });
    expect(text(await t.transformToStorage(bytes('value'), ctx))).toBe('new:VALUE');
  });

  it('reads with the matching entry; anything but the first is stale', async () => {
    const t = prefixTransformers(
      undefined,
      { prefix: bytes('new:'), transformer: caseTransformer() },
      { prefix: 'old:', transformer: caseTransformer() },
    );
    expect(await t.transformFromStorage(bytes('new:VALUE'), ctx)).toEqual({ data: bytes('value'), stale: false });
    expect(await t.transformFromStorage(bytes('old:VALUE'), ctx)).toEqual({ data: bytes('value'), stale: true });
  });

  it('keeps the stale flag reported by the first entry', async () => {
    const t = prefixTransformers(undefined, { prefix: 'p:', transformer: caseTransformer(true) });
    expect(await t.transformFromStorage(bytes('p:X'), ctx)).toEqual({ data: bytes('x'), stale: true });
  });

  it('throws the configured error when no prefix matches', async () => {
    const configured = new Error('no such provider');
    const t = prefixTransformers(configured, { prefix: 'p:', transformer: identityTransformer });
    await expect(t.transformFromStorage(bytes('q:x'), ctx)).rejects.toBe(configured);
    const byDefault = prefixTransformers(undefined, { prefix: 'p:', transformer: identityTransformer });
    const err = await rejection(byDefault.transformFromStorage(bytes('q:x'), ctx));
    expect(err.code).toBe('NoMatchingTransformer');
    expect(err.message).toBe('the provided value does not match any of the supported transformers');
  });

  it('tries later entries sharing a prefix when an earlier one fails (overlapping key rotation)', async () => {
    const key1 = new Uint8Array(32).fill(1);
    const key2 = new Uint8Array(32).fill(2);
    const writer = prefixTransformers(undefined, { prefix: 'aes:', transformer: aesGcmTransformer(key2) });
    const stored = await writer.transformToStorage(bytes('secret'), ctx);
    const reader = prefixTransformers(
      undefined,
      { prefix: 'aes:', transformer: aesGcmTransformer(key1) },
      { prefix: 'aes:', transformer: aesGcmTransformer(key2) },
    );
    expect(await reader.transformFromStorage(stored, ctx)).toEqual({ data: bytes('secret'), stale: true });
  });

  it('reports the failure of the only matching entry as is', async () => {
    const reader = prefixTransformers(undefined, { prefix: 'aes:', transformer: aesGcmTransformer(new Uint8Array(16)) });
    const err = await rejection(reader.transformFromStorage(bytes(`aes:${'x'.repeat(40)}`), ctx));
    expect(err.code).toBe('DecryptFailed');
  });

  it('aggregates the failures of several matching entries', async () => {
    const failing: Transformer = {
      async transformFromStorage() {
        throw new Error('plugin exploded');
      },
      async transformToStorage(data) {
        return data;
      },
    };
    const reader = prefixTransformers(
      undefined,
      { prefix: 'aes:', transformer: aesGcmTransformer(new Uint8Array(16).fill(1)) },
      { prefix: 'aes:', transformer: aesGcmTransformer(new Uint8Array(16).fill(2)) },
      { prefix: 'aes:', transformer: failing },
    );
    const err = await rejection(reader.transformFromStorage(bytes(`aes:${'x'.repeat(40)}`), ctx));
    expect(err.code).toBe('TransformFailed');
    expect(err.errors).toHaveLength(3);
    expect(err.message).toBe('[cipher: message authentication failed, plugin exploded]');

    const sameCode = prefixTransformers(
      undefined,
      { prefix: 'aes:', transformer: aesGcmTransformer(new Uint8Array(16).fill(1)) },
      { prefix: 'aes:', transformer: aesGcmTransformer(new Uint8Array(16).fill(2)) },
    );
    const both = await rejection(sameCode.transformFromStorage(bytes(`aes:${'x'.repeat(40)}`), ctx));
    expect(both.code).toBe('DecryptFailed');
    expect(both.message).toBe('cipher: message authentication failed');
  });

  it('skips a failing identity (empty prefix) entry instead of reporting it', async () => {
    const configured = new Error('no matching provider');
    const t = prefixTransformers(
      configured,
      { prefix: 'p:', transformer: caseTransformer() },
      { prefix: '', transformer: encryptCheckTransformer },
    );
    await expect(t.transformFromStorage(bytes('k8s:enc:other:v1:zzz'), ctx)).rejects.toBe(configured);
    expect(await t.transformFromStorage(bytes('{"plain":true}'), ctx)).toEqual({ data: bytes('{"plain":true}'), stale: true });
  });

  it('reports a failure of a plain transformer thrown synchronously as a rejection', async () => {
    const sync: Transformer = {
      transformFromStorage() {
        throw new TransformError('DecryptFailed', 'sync failure');
      },
      transformToStorage() {
        throw new TransformError('InvalidKey', 'sync write failure');
      },
    };
    const t = prefixTransformers(undefined, { prefix: 'p:', transformer: sync });
    expect((await rejection(t.transformFromStorage(bytes('p:x'), ctx))).message).toBe('sync failure');
    expect((await rejection(t.transformToStorage(bytes('x'), ctx))).message).toBe('sync write failure');
  });

  it('needs at least one entry', () => {
    expect(() => prefixTransformers(undefined)).toThrow(TransformError);
  });
});
