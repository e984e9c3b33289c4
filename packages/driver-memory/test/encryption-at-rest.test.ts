import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesGcmEncryption, createStore, isInternalError, type StorageObject } from '@storagebackend/core';
import { MemoryBackend } from '../src/index.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('encryption at rest through the Store (AES-GCM, key bound to the backend key)', () => {
  const k1 = { name: 'k1', secret: randomBytes(32) };
  const k2 = { name: 'k2', secret: randomBytes(32) };
  const secret: StorageObject = { metadata: { name: 's', namespace: 'ns' }, data: { password: 'hunter2' } };

  it('stores ciphertext, reads plaintext, and rotates keys by rewriting stale values on a no-op update', async () => {
    const backend = new MemoryBackend();
    const options = { backend, prefix: '/registry', resourcePrefix: '/secrets/' };
    const v1 = createStore({ ...options, transformer: aesGcmEncryption([k1]) });
    const created = await v1.create('/secrets/ns/s', structuredClone(secret));
    const raw1 = (await backend.get('/registry/secrets/ns/s')).kv!;
    expect(text(raw1.value).startsWith('k8s:enc:aesgcm:v1:k1:')).toBe(true);
    expect(text(raw1.value)).not.toContain('hunter2');
    expect((await v1.get('/secrets/ns/s')).data).toEqual({ password: 'hunter2' });

    // New primary key k2, old key k1 still readable: reads work, values are stale until rewritten.
    const v2 = createStore({ ...options, transformer: aesGcmEncryption([k2, k1]) });
    expect((await v2.get('/secrets/ns/s')).data).toEqual({ password: 'hunter2' });
    const rewritten = await v2.guaranteedUpdate('/secrets/ns/s', { tryUpdate: (cur) => cur });
    expect(Number(rewritten.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(text((await backend.get('/registry/secrets/ns/s')).kv!.value).startsWith('k8s:enc:aesgcm:v1:k2:')).toBe(true);
    // Now fresh: the same no-op update writes nothing.
    const again = await v2.guaranteedUpdate('/secrets/ns/s', { tryUpdate: (cur) => cur });
    expect(again.metadata.resourceVersion).toBe(rewritten.metadata.resourceVersion);
    // A store that only knows k1 can no longer read it: a typed error, not garbage.
    await expect(v1.get('/secrets/ns/s')).rejects.toSatisfy(isInternalError);
    await backend.close();
  });

  it('a ciphertext copied under another key does not decrypt', async () => {
    const backend = new MemoryBackend();
    const store = createStore({ backend, prefix: '/registry', resourcePrefix: '/secrets/', transformer: aesGcmEncryption([k1]) });
    await store.create('/secrets/ns/s', structuredClone(secret));
    const stolen = (await backend.get('/registry/secrets/ns/s')).kv!.value;
    await backend.optimisticPut('/registry/secrets/ns/copy', stolen, 0);
    const err = await store.get('/secrets/ns/copy').catch((e: unknown) => e);
    expect(isInternalError(err)).toBe(true);
    // A single-key read carries the transformer's own error, as Go's NewInternalError(err); the key is in lists.
    expect((err as Error).message).not.toContain('Internal error occurred');
    const listErr = await store.getList('/secrets/', { recursive: true }).catch((e: unknown) => e);
    expect(isInternalError(listErr)).toBe(true);
    expect((listErr as Error).message).toMatch(/^unable to transform key "\/registry\/secrets\/ns\/copy": /);
    await backend.close();
  });
});
