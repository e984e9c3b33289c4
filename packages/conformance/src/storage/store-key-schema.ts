import { InvalidKeyError } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import type { StorageTestContext } from './context.js';
import type { Pod } from './fixtures.js';
import { captureError, currentRevision, openStore } from './store-helpers.js';

/** Keys every operation rejects, with the Kubernetes wording of the error. */
const REJECTED: ReadonlyArray<[string, string]> = [
  ['', 'empty key: ""'],
  ['/', 'empty key: "/"'],
  ['.', 'invalid key: "."'],
  ['..', 'invalid key: ".."'],
  ['../pods/x', 'invalid key'],
  ['/pods/../secrets/x', 'invalid key'],
  ['/pods/./x', 'invalid key'],
  ['/pods/ns/..', 'invalid key'],
  ['pods', 'lacks resource prefix'],
  ['/pods.apps', 'lacks resource prefix'],
  ['/foo/', 'lacks resource prefix'],
  ['/foo', 'lacks resource prefix'],
];

/** Object keys: `/pods` itself is not under `/pods/`; these are. */
const OBJECT_KEYS = ['/pods/', '/pods/name', '/pods/namespace', '/pods/namespace/name'];

async function expectKeyRejected(call: Promise<unknown>, text: string): Promise<void> {
  const err = await captureError(call);
  expect(err, `${err}`).toBeInstanceOf(InvalidKeyError);
  expect(err.message).toContain(text);
}

async function seedObjects(ctx: StorageTestContext): Promise<void> {
  for (const key of OBJECT_KEYS) await ctx.store.create(key, { metadata: {} });
}

const noChange = (cur: Pod) => cur;

/** Kubernetes RunTestKeySchema: every operation validates keys the same way and writes nothing on a bad one. */
export function storeKeySchemaTests(target: ConformanceTarget): void {
  describe('key schema', () => {
    it.concurrent('create', async (t) => {
      const ctx = await openStore(t, target);
      const before = await currentRevision(ctx);
      for (const [key, text] of [...REJECTED, ['/pods', 'lacks resource prefix'] as [string, string]]) {
        await expectKeyRejected(ctx.store.create(key, { metadata: {} }), text);
      }
      await expectKeyRejected(ctx.store.create('/pods.apps', { metadata: {} }), 'invalid key: "/pods.apps" lacks resource prefix: "/pods/"');
      expect(await currentRevision(ctx), 'rejected creates write nothing').toBe(before);
      await seedObjects(ctx);
    });

    it.concurrent('getList', async (t) => {
      const ctx = await openStore(t, target);
      for (const [key, text] of REJECTED) await expectKeyRejected(ctx.store.getList(key, { recursive: true }), text);
      await expectKeyRejected(ctx.store.getList('pods', { recursive: true }), 'invalid key: "pods/" lacks resource prefix: "/pods/"');
      await expectKeyRejected(ctx.store.getList('/pods', { recursive: false }), 'lacks resource prefix');
      for (const key of ['/pods', '/pods/', '/pods/namespace', '/pods/namespace/name']) {
        await ctx.store.getList(key, { recursive: true });
      }
    });

    it.concurrent('get', async (t) => {
      const ctx = await openStore(t, target);
      await seedObjects(ctx);
      for (const [key, text] of [...REJECTED, ['/pods', 'lacks resource prefix'] as [string, string]]) {
        await expectKeyRejected(ctx.store.get(key), text);
      }
      for (const key of OBJECT_KEYS) await ctx.store.get(key);
    });

    it.concurrent('watch', async (t) => {
      const ctx = await openStore(t, target);
      for (const [key, text] of REJECTED) await expectKeyRejected(ctx.store.watch(key, { recursive: true }), text);
      await expectKeyRejected(ctx.store.watch('/pods', { recursive: false }), 'lacks resource prefix');
      for (const key of ['/pods', '/pods/', '/pods/namespace', '/pods/namespace/name']) {
        const watch = await ctx.store.watch(key, { recursive: true });
        watch.stop();
      }
    });

    it.concurrent('guaranteedUpdate', async (t) => {
      const ctx = await openStore(t, target);
      await seedObjects(ctx);
      const before = await currentRevision(ctx);
      for (const [key, text] of [...REJECTED, ['/pods', 'lacks resource prefix'] as [string, string]]) {
        await expectKeyRejected(ctx.store.guaranteedUpdate(key, { ignoreNotFound: true, tryUpdate: noChange }), text);
      }
      expect(await currentRevision(ctx), 'rejected updates write nothing').toBe(before);
      for (const key of OBJECT_KEYS) await ctx.store.guaranteedUpdate(key, { tryUpdate: noChange });
    });

    it.concurrent('delete', async (t) => {
      const ctx = await openStore(t, target);
      await seedObjects(ctx);
      const before = await currentRevision(ctx);
      for (const [key, text] of [...REJECTED, ['/pods', 'lacks resource prefix'] as [string, string]]) {
        await expectKeyRejected(ctx.store.delete(key, { validateDeletion: () => {} }), text);
      }
      expect(await currentRevision(ctx), 'rejected deletes write nothing').toBe(before);
      for (const key of OBJECT_KEYS) await ctx.store.delete(key, { validateDeletion: () => {} });
    });
  });
}
