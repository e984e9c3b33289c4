import { isBadRequest, isNotFound, isTooLargeResourceVersion } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { createStorageTestContext, type StorageTestContext } from './context.js';
import { pod, type Pod } from './fixtures.js';
import { captureError, invalidResourceVersionText, MAX_INT64_RV, rvOf, storageErrorText } from './store-helpers.js';

interface GetFixture {
  readonly ctx: StorageTestContext;
  readonly key: string;
  readonly created: Pod;
  readonly updated: Pod;
  /** The last write: another object, so the store revision is ahead of `updated`. */
  readonly latest: Pod;
}

/** Kubernetes RunTestGet: every resourceVersion form of a get. */
export function storeGetTests(target: ConformanceTarget): void {
  describe('get', () => {
    let fx: GetFixture;

    beforeAll(async () => {
      const ctx = await createStorageTestContext(target);
      const key = '/pods/test-ns/foo';
      const created = await ctx.store.create(key, pod('test-ns', 'foo'));
      const updated = await ctx.store.guaranteedUpdate(key, {
        tryUpdate: (cur) => ({ ...cur, metadata: { ...cur.metadata, annotations: { 'test-annotation': '1' } } }),
      });
      const latest = await ctx.store.create('/pods/test-ns/bar', pod('test-ns', 'bar'));
      fx = { ctx, key, created, updated, latest };
    });
    afterAll(async () => fx?.ctx.close());

    it.concurrent('an existing key returns the current object', async () => {
      expect(await fx.ctx.store.get(fx.key)).toEqual(fx.updated);
    });

    it.concurrent('resourceVersion "0" returns any version (or nothing, with ignoreNotFound)', async () => {
      const got = await fx.ctx.store.get(fx.key, { resourceVersion: '0', ignoreNotFound: true });
      expect([{ metadata: {} }, fx.created, fx.updated]).toContainEqual(got);
    });

    it.concurrent('the created resourceVersion is a not-older-than bound', async () => {
      const got = await fx.ctx.store.get(fx.key, { resourceVersion: rvOf(fx.created) });
      expect([fx.created, fx.updated]).toContainEqual(got);
    });

    it.concurrent('the object resourceVersion returns the current object', async () => {
      expect(await fx.ctx.store.get(fx.key, { resourceVersion: rvOf(fx.updated) })).toEqual(fx.updated);
    });

    it.concurrent('the latest store resourceVersion returns the current object', async () => {
      expect(await fx.ctx.store.get(fx.key, { resourceVersion: rvOf(fx.latest) })).toEqual(fx.updated);
    });

    it.concurrent('a resourceVersion ahead of the store fails isTooLargeResourceVersion', async () => {
      const err = await captureError(fx.ctx.store.get(fx.key, { resourceVersion: MAX_INT64_RV }));
      expect(isTooLargeResourceVersion(err), `got ${err}`).toBe(true);
      // The requested revision is printed as sent, not rounded to a JavaScript number.
      expect(err.message).toMatch(new RegExp(`^Timeout: Too large resource version: ${MAX_INT64_RV}, current: [1-9][0-9]*$`));
    });

    it.concurrent('a resourceVersion beyond uint64 fails isBadRequest with strconv wording', async () => {
      const beyond = '18446744073709551616';
      const err = await captureError(fx.ctx.store.get(fx.key, { resourceVersion: beyond }));
      expect(isBadRequest(err), `got ${err}`).toBe(true);
      expect(err.message).toBe(invalidResourceVersionText(beyond, 'value out of range'));
    });

    it.concurrent('a resourceVersion one past the store revision fails isTooLargeResourceVersion', async () => {
      const next = String(Number(rvOf(fx.latest)) + 1);
      const err = await captureError(fx.ctx.store.get(fx.key, { resourceVersion: next }));
      expect(isTooLargeResourceVersion(err), `got ${err}`).toBe(true);
    });

    it.concurrent('an unparsable resourceVersion fails isBadRequest', async () => {
      const err = await captureError(fx.ctx.store.get(fx.key, { resourceVersion: 'abc' }));
      expect(isBadRequest(err), `got ${err}`).toBe(true);
      expect(err.message).toBe(invalidResourceVersionText('abc'));
    });

    it.concurrent('a missing key fails isNotFound', async () => {
      const err = await captureError(fx.ctx.store.get('/pods/non-existing'));
      expect(isNotFound(err), `got ${err}`).toBe(true);
      expect(err.message).toBe(storageErrorText(1, 'key not found', fx.ctx.backendKey('/pods/non-existing')));
    });

    it.concurrent('a missing key with ignoreNotFound returns the zero object', async () => {
      expect(await fx.ctx.store.get('/pods/non-existing', { ignoreNotFound: true })).toEqual({ metadata: {} });
    });
  });
}
