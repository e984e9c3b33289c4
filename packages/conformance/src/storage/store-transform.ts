import {
  isInternalError,
  isNotFound,
  type TransformContext,
  type TransformFromResult,
  type MaybePromise,
  type Transformer,
} from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { pod } from './fixtures.js';
import { captureError, currentRevision, openStore } from './store-helpers.js';
import { FailingTransformer, PrefixTransformer } from './test-transformers.js';

const decoder = new TextDecoder();

/** Records the authenticated data of every call, then delegates. */
class RecordingTransformer implements Transformer {
  readonly contexts: string[] = [];
  constructor(private readonly wrapped: Transformer) {}

  transformFromStorage(data: Uint8Array, context: TransformContext): MaybePromise<TransformFromResult> {
    this.contexts.push(decoder.decode(context.authenticatedData));
    return this.wrapped.transformFromStorage(data, context);
  }

  transformToStorage(data: Uint8Array, context: TransformContext): MaybePromise<Uint8Array> {
    this.contexts.push(decoder.decode(context.authenticatedData));
    return this.wrapped.transformToStorage(data, context);
  }
}

/** Kubernetes RunTestTransformationFailure, plus write failures and the transformer's authenticated data. */
export function storeTransformationTests(target: ConformanceTarget): void {
  describe('value transformer failures', () => {
    it.concurrent('a value the transformer cannot read fails get, list, update and delete with isInternalError', async (t) => {
      const ctx = await openStore(t, target);
      await ctx.store.create('/pods/first/bar', pod('first', 'bar'));
      const revert = ctx.updateTransformer(() => new PrefixTransformer('otherprefix!'));
      const bazKey = '/pods/second/baz';
      const baz = await ctx.store.create(bazKey, pod('second', 'baz'));
      revert();
      const before = await currentRevision(ctx);

      const listErr = await captureError(ctx.store.getList('/pods/', { recursive: true }));
      expect(isInternalError(listErr), `list: ${listErr}`).toBe(true);
      // Go's texts: lists name the key (NewInternalErrorf), single-key reads carry the transformer's error alone.
      const noPrefix = 'value does not have expected prefix "test!"';
      expect(listErr.message).toBe(`unable to transform key "${ctx.backendKey(bazKey)}": ${noPrefix}`);

      const getErr = await captureError(ctx.store.get(bazKey));
      expect(isInternalError(getErr), `get: ${getErr}`).toBe(true);
      expect(getErr.message).toBe(noPrefix);

      const updateErr = await captureError(ctx.store.guaranteedUpdate(bazKey, { tryUpdate: (cur) => cur }));
      expect(isInternalError(updateErr), `guaranteedUpdate: ${updateErr}`).toBe(true);

      // With an unchanged object as the hint the store must still notice the live value is unreadable.
      await captureError(ctx.store.guaranteedUpdate(bazKey, { tryUpdate: (cur) => cur, cachedExistingObject: baz }));

      const deleteErr = await captureError(ctx.store.delete(bazKey));
      expect(isInternalError(deleteErr), `delete: ${deleteErr}`).toBe(true);

      expect(isInternalError(await captureError(ctx.store.get(bazKey))), 'still stored and still unreadable').toBe(true);
      expect(await currentRevision(ctx), 'no failed call wrote anything').toBe(before);
    });

    it.concurrent('a transformer failing on write fails create with isInternalError and writes nothing', async (t) => {
      const ctx = await openStore(t, target);
      const before = await currentRevision(ctx);
      ctx.updateTransformer((current) => new FailingTransformer(current, { failWrites: true }));
      const err = await captureError(ctx.store.create('/pods/ns/a', pod('ns', 'a')));
      expect(isInternalError(err), `got ${err}`).toBe(true);
      expect(await currentRevision(ctx)).toBe(before);
      expect(await ctx.rawGet('/pods/ns/a')).toBeNull();
    });

    it.concurrent('a failing read transformer makes get fail, not return NotFound', async (t) => {
      const ctx = await openStore(t, target);
      await ctx.store.create('/pods/ns/a', pod('ns', 'a'));
      ctx.updateTransformer((current) => new FailingTransformer(current));
      const err = await captureError(ctx.store.get('/pods/ns/a'));
      expect(isInternalError(err), `got ${err}`).toBe(true);
      expect(isNotFound(err)).toBe(false);
    });

    it.concurrent('the transformer is given the full backend key as authenticated data', async (t) => {
      const ctx = await openStore(t, target);
      const recorder = new RecordingTransformer(ctx.prefixTransformer);
      ctx.updateTransformer(() => recorder);
      const key = '/pods/ns/a';
      await ctx.store.create(key, pod('ns', 'a'));
      await ctx.store.get(key);
      await ctx.store.getList('/pods/', { recursive: true });
      await ctx.store.guaranteedUpdate(key, { tryUpdate: (cur) => ({ ...cur, spec: { nodeName: 'n' } }) });
      await ctx.store.delete(key);
      const seen = JSON.stringify(recorder.contexts);
      expect(recorder.contexts.length, `authenticated data seen: ${seen}`).toBeGreaterThanOrEqual(5);
      expect(new Set(recorder.contexts), `authenticated data seen: ${seen}`).toEqual(new Set([ctx.backendKey(key)]));
    });
  });
}
