import { isInvalidObj, isNotFound } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { pod, type Pod } from './fixtures.js';
import { captureError, currentRevision, openStore, rvNum, rvOf, storageErrorText } from './store-helpers.js';

/** `deleted` is `stored` carrying the delete's revision, which is newer than the stored one. */
function expectDeletedCopy(deleted: Pod, stored: Pod, deleteRevision: number): void {
  expect(rvNum(deleted), 'the returned object carries the delete revision').toBe(deleteRevision);
  expect(rvNum(deleted)).toBeGreaterThan(rvNum(stored));
  expect({ ...deleted, metadata: { ...deleted.metadata, resourceVersion: rvOf(stored) } }).toEqual(stored);
}

/** Kubernetes RunTestUnconditionalDelete and RunTestConditionalDelete, plus resourceVersion preconditions. */
export function storeDeleteTests(target: ConformanceTarget): void {
  describe('delete', () => {
    it.concurrent('an existing key returns the last object with the delete revision', async (t) => {
      const ctx = await openStore(t, target);
      const stored = await ctx.store.create('/pods/test-ns/foo', pod('test-ns', 'foo'));
      const deleted = await ctx.store.delete('/pods/test-ns/foo');
      expectDeletedCopy(deleted, stored, await currentRevision(ctx));
      expect(isNotFound(await captureError(ctx.store.get('/pods/test-ns/foo')))).toBe(true);
    });

    it.concurrent('a missing key fails isNotFound and writes nothing', async (t) => {
      const ctx = await openStore(t, target);
      await ctx.store.create('/pods/test-ns/foo', pod('test-ns', 'foo'));
      const before = await currentRevision(ctx);
      const err = await captureError(ctx.store.delete('/pods/non-existing'));
      expect(isNotFound(err), `got ${err}`).toBe(true);
      expect(err.message).toBe(storageErrorText(1, 'key not found', ctx.backendKey('/pods/non-existing')));
      expect(await currentRevision(ctx)).toBe(before);
    });

    it.concurrent('a matching UID precondition deletes', async (t) => {
      const ctx = await openStore(t, target);
      const stored = await ctx.store.create('/pods/test-ns/foo', pod('test-ns', 'foo', { metadata: { uid: 'A' } }));
      const deleted = await ctx.store.delete('/pods/test-ns/foo', { preconditions: { uid: 'A' } });
      expectDeletedCopy(deleted, stored, await currentRevision(ctx));
    });

    it.concurrent('a mismatching UID precondition fails isInvalidObj and keeps the object', async (t) => {
      const ctx = await openStore(t, target);
      const stored = await ctx.store.create('/pods/test-ns/foo', pod('test-ns', 'foo', { metadata: { uid: 'A' } }));
      const err = await captureError(ctx.store.delete('/pods/test-ns/foo', { preconditions: { uid: 'B' } }));
      expect(isInvalidObj(err), `got ${err}`).toBe(true);
      expect(err.message).toBe(
        storageErrorText(4, 'invalid object', ctx.backendKey('/pods/test-ns/foo'),
          'Precondition failed: UID in precondition: B, UID in object meta: A'),
      );
      expect(await ctx.store.get('/pods/test-ns/foo')).toEqual(stored);
    });

    it.concurrent('a resourceVersion precondition deletes only the matching version', async (t) => {
      const ctx = await openStore(t, target);
      const created = await ctx.store.create('/pods/test-ns/foo', pod('test-ns', 'foo'));
      const updated = await ctx.store.guaranteedUpdate('/pods/test-ns/foo', {
        tryUpdate: (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { v: '2' } } }),
      });
      const stale = await captureError(
        ctx.store.delete('/pods/test-ns/foo', { preconditions: { resourceVersion: rvOf(created) } }),
      );
      expect(isInvalidObj(stale), `got ${stale}`).toBe(true);
      expect(stale.message).toBe(
        storageErrorText(4, 'invalid object', ctx.backendKey('/pods/test-ns/foo'),
          `Precondition failed: ResourceVersion in precondition: ${rvOf(created)}, ResourceVersion in object meta: ${rvOf(updated)}`),
      );
      const deleted = await ctx.store.delete('/pods/test-ns/foo', { preconditions: { resourceVersion: rvOf(updated) } });
      expectDeletedCopy(deleted, updated, await currentRevision(ctx));
    });

    it.concurrent('the returned object is a copy of the stored one, newest version first', async (t) => {
      const ctx = await openStore(t, target);
      await ctx.store.create('/pods/test-ns/foo', pod('test-ns', 'foo'));
      const updated = await ctx.store.guaranteedUpdate('/pods/test-ns/foo', {
        tryUpdate: (cur) => ({ ...cur, spec: { nodeName: 'n1' } }),
      });
      const deleted = await ctx.store.delete('/pods/test-ns/foo');
      expect(deleted.spec?.nodeName).toBe('n1');
      expectDeletedCopy(deleted, updated, await currentRevision(ctx));
    });
  });
}
