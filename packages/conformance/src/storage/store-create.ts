import { isExist, isNotFound, isRequestEntityTooLarge, ResourceVersionSetOnCreateError } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { pod, podKey } from './fixtures.js';
import { captureError, currentRevision, expectStoredCleanly, openStore, rvNum, storageErrorText } from './store-helpers.js';

/** Kubernetes RunTestCreate and RunTestCreateWithKeyExist. */
export function storeCreateTests(target: ConformanceTarget): void {
  describe('create', () => {
    it.concurrent('returns the stored object with a resourceVersion; stored bytes omit resourceVersion and selfLink', async (t) => {
      const ctx = await openStore(t, target);
      const input = pod('test-ns', 'foo', { metadata: { name: 'foo', namespace: 'test-ns', selfLink: '/api/v1/x' } });
      const key = podKey(input);
      expect(isNotFound(await captureError(ctx.store.get(key))), 'get before create is NotFound').toBe(true);

      const out = await ctx.store.create(key, input);
      expect(out.metadata.name).toBe('foo');
      expect(out.metadata.namespace).toBe('test-ns');
      expect(out.metadata.resourceVersion).toMatch(/^[1-9][0-9]*$/);
      expect(out.metadata.selfLink, 'selfLink is dropped before storing').toBeUndefined();
      expect(rvNum(out), 'the resourceVersion is the write revision').toBe(await currentRevision(ctx));

      const stored = await expectStoredCleanly(ctx, key);
      expect(stored.metadata).toEqual({ name: 'foo', namespace: 'test-ns' });
      expect(await ctx.store.get(key)).toEqual(out);
    });

    it.concurrent('rejects an object whose resourceVersion is set, writing nothing', async (t) => {
      const ctx = await openStore(t, target);
      const input = pod('test-ns', 'bar', { metadata: { name: 'bar', namespace: 'test-ns', resourceVersion: '1' } });
      const before = await currentRevision(ctx);
      const err = await captureError(ctx.store.create(podKey(input), input));
      expect(err).toBeInstanceOf(ResourceVersionSetOnCreateError);
      expect(err.message).toBe('resourceVersion should not be set on objects to be created');
      expect(await currentRevision(ctx)).toBe(before);
      expect(isNotFound(await captureError(ctx.store.get(podKey(input))))).toBe(true);
    });

    it.concurrent('on an existing key fails with isExist and keeps the stored object', async (t) => {
      const ctx = await openStore(t, target);
      const first = await ctx.store.create('/pods/test-ns/foo', pod('test-ns', 'foo', { spec: { nodeName: 'a' } }));
      const err = await captureError(ctx.store.create('/pods/test-ns/foo', pod('test-ns', 'foo', { spec: { nodeName: 'b' } })));
      expect(isExist(err), `expected isExist, got ${err}`).toBe(true);
      expect(err.message).toBe(storageErrorText(2, 'key exists', ctx.backendKey('/pods/test-ns/foo')));
      expect(await currentRevision(ctx), 'a failed create takes no revision').toBe(rvNum(first));
      expect(await ctx.store.get('/pods/test-ns/foo')).toEqual(first);
    });

    it.concurrent('gives every write the next global revision', async (t) => {
      const ctx = await openStore(t, target);
      const a = await ctx.store.create('/pods/ns/a', pod('ns', 'a'));
      const bumped = await ctx.increaseRV();
      const b = await ctx.store.create('/pods/other/b', pod('other', 'b'));
      expect(bumped).toBe(rvNum(a) + 1);
      expect(rvNum(b)).toBe(bumped + 1);
    });

    // etcd refuses a request over --max-request-bytes (1.5 MiB) with "request is too large" and a message over its
    // gRPC limit (2 MiB) before that; Kubernetes answers 413 to both. Every driver must fail the same way.
    it.concurrent('an object over etcd\'s request limit fails isRequestEntityTooLarge and writes nothing', async (t) => {
      const ctx = await openStore(t, target);
      const before = await currentRevision(ctx);
      const limit = 1.5 * 1024 * 1024;
      const over = await captureError(ctx.store.create('/pods/ns/big', pod('ns', 'big', { spec: { nodeName: 'x'.repeat(limit + 1024) } })));
      expect(isRequestEntityTooLarge(over), `got ${over}`).toBe(true);
      expect(over.message).toBe('Request entity too large: etcdserver: request is too large');
      const far = await captureError(ctx.store.create('/pods/ns/big', pod('ns', 'big', { spec: { nodeName: 'x'.repeat(3 * 1024 * 1024) } })));
      expect(isRequestEntityTooLarge(far), `got ${far}`).toBe(true);
      expect(await currentRevision(ctx), 'nothing written').toBe(before);
      expect(await ctx.rawGet('/pods/ns/big')).toBeNull();
      const fits = await ctx.store.create('/pods/ns/big', pod('ns', 'big', { spec: { nodeName: 'x'.repeat(limit - 4096) } }));
      expect(rvNum(fits)).toBe(before + 1);
    });
  });
}
