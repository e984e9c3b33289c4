import { isTooLargeResourceVersion, type ListOptions, type ResourceVersionMatch } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { createStorageTestContext, type StorageTestContext } from './context.js';
import { pod, podKey, type Pod } from './fixtures.js';
import { captureError, encodeContinueToken, MAX_INT64_RV, openStore, rvOf } from './store-helpers.js';
import { ReproducingTransformer } from './test-transformers.js';

interface NonRecursiveFixture {
  readonly ctx: StorageTestContext;
  readonly key: string;
  readonly prev: Pod;
  readonly stored: Pod;
}

/** A non-recursive getList case: options and the acceptable item lists. */
type ExactKeyCase = (f: NonRecursiveFixture) => { key?: string; options: ListOptions<Pod>; oneOf?: Pod[][]; tooLarge?: true };

const exactKeyCases: Record<string, ExactKeyCase> = {
  'an existing key': (f) => ({ options: {}, oneOf: [[f.stored]] }),
  'resource version 0': (f) => ({ options: { resourceVersion: '0' }, oneOf: [[], [f.prev], [f.stored]] }),
  'resource version 0, NotOlderThan': (f) => ({
    options: { resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' }, oneOf: [[], [f.prev], [f.stored]],
  }),
  'the current resource version': (f) => ({ options: { resourceVersion: rvOf(f.stored) }, oneOf: [[f.stored]] }),
  'the current resource version, NotOlderThan': (f) => ({
    options: { resourceVersion: rvOf(f.stored), resourceVersionMatch: 'NotOlderThan' }, oneOf: [[f.stored]],
  }),
  'the previous resource version, NotOlderThan': (f) => ({
    options: { resourceVersion: rvOf(f.prev), resourceVersionMatch: 'NotOlderThan' }, oneOf: [[f.prev], [f.stored]],
  }),
  'the current resource version, Exact': (f) => ({
    options: { resourceVersion: rvOf(f.stored), resourceVersionMatch: 'Exact' }, oneOf: [[f.stored]],
  }),
  'the previous resource version, Exact, returns the previous object': (f) => ({
    options: { resourceVersion: rvOf(f.prev), resourceVersionMatch: 'Exact' }, oneOf: [[f.prev]],
  }),
  'a resource version too high': () => ({ options: { resourceVersion: MAX_INT64_RV }, tooLarge: true }),
  'a missing key': () => ({ key: '/pods/non-existing', options: {}, oneOf: [[]] }),
  'a missing key with a field selector': () => ({
    key: '/pods/non-existing', options: { predicate: { field: 'metadata.name!=foo' } }, oneOf: [[]],
  }),
  'an existing key excluded by a field selector': (f) => ({
    options: { resourceVersion: rvOf(f.stored), predicate: { field: 'metadata.name!=foo' } }, oneOf: [[]],
  }),
};

const recursivePrefixCases: ReadonlyArray<[string, string, boolean, readonly string[]]> = [
  ['non-recursive on the resource prefix returns nothing', '/pods/', false, []],
  ['recursive on the resource prefix returns everything', '/pods/', true, ['foo', 'foobar', 'baz']],
  ['non-recursive on a namespace prefix returns nothing', '/pods/test-ns/', false, []],
  ['recursive on a namespace returns its objects', '/pods/test-ns/', true, ['foo', 'foobar']],
  ['non-recursive on a key that prefixes another returns only that object', '/pods/test-ns/foo', false, ['foo']],
  ['recursive on an object key returns nothing (foo/ is not foobar)', '/pods/test-ns/foo', true, []],
  ['non-recursive on a key that prefixes nothing returns it', '/pods/test-ns/foobar', false, ['foobar']],
  ['recursive on that object key returns nothing', '/pods/test-ns/foobar', true, []],
];

/**
 * Kubernetes RunTestConsistentList, RunTestGetListNonRecursive, RunTestGetListRecursivePrefix and
 * RunTestListResourceVersionMatch.
 */
export function storeListTests(target: ConformanceTarget): void {
  describe('getList', () => {
    it.concurrent('on an empty prefix the list resourceVersion is the current global revision', async (t) => {
      const ctx = await openStore(t, target);
      await ctx.store.create('/pods/default/foo', pod('default', 'foo'));
      const steps: Array<[string, ListOptions<Pod>]> = [
        ['resource version 0', { resourceVersion: '0' }],
        ['consistent (no resource version)', {}],
        ['a continue token with rv -1', { predicate: { continue: encodeContinueToken('/pods/a', -1) } }],
        ['resource version 0 after a consistent read', { resourceVersion: '0' }],
      ];
      for (const [name, options] of steps) {
        const bumped = await ctx.increaseRV();
        const out = await ctx.store.getList('/pods/empty', { ...options, recursive: true });
        expect(out.items).toEqual([]);
        expect(Number(out.metadata.resourceVersion), name).toBe(bumped);
      }
    });

    describe('non-recursive (one exact key)', () => {
      let fx: NonRecursiveFixture | undefined;
      beforeAll(async () => {
        const ctx = await createStorageTestContext(target);
        const key = '/pods/test-ns/foo';
        const prev = await ctx.store.create(key, pod('test-ns', 'foo'));
        const stored = await ctx.store.guaranteedUpdate(key, {
          tryUpdate: (cur) => ({ ...cur, metadata: { ...cur.metadata, annotations: { version: 'second' } } }),
        });
        await ctx.increaseRV();
        fx = { ctx, key, prev, stored };
      });
      afterAll(async () => fx?.ctx.close());

      for (const [name, build] of Object.entries(exactKeyCases)) {
        it.concurrent(name, async () => {
          if (!fx) throw new Error('setup failed');
          const c = build(fx);
          const call = fx.ctx.store.getList(c.key ?? fx.key, { ...c.options, recursive: false });
          if (c.tooLarge) {
            const err = await captureError(call);
            expect(isTooLargeResourceVersion(err), `got ${err}`).toBe(true);
            return;
          }
          const out = await call;
          expect(out.metadata.resourceVersion).toMatch(/^[1-9][0-9]*$/);
          expect(c.oneOf).toContainEqual(out.items);
        });
      }
    });

    describe('recursive vs exact keys that prefix each other', () => {
      let ctx: StorageTestContext | undefined;
      const objects = new Map<string, Pod>();
      let lastRV = '';
      beforeAll(async () => {
        ctx = await createStorageTestContext(target);
        for (const p of [pod('test-ns', 'foo'), pod('test-ns', 'foobar'), pod('test-ns2', 'baz')]) {
          const out = await ctx.store.create(podKey(p), p);
          objects.set(p.metadata.name ?? '', out);
          lastRV = rvOf(out);
        }
      });
      afterAll(async () => ctx?.close());

      const listTypes: Array<[string, () => { resourceVersion: string; resourceVersionMatch?: ResourceVersionMatch }]> = [
        ['Exact', () => ({ resourceVersion: lastRV, resourceVersionMatch: 'Exact' })],
        ['consistent', () => ({ resourceVersion: '' })],
        ['NotOlderThan', () => ({ resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' })],
      ];
      for (const [typeName, rvOptions] of listTypes) {
        for (const [name, key, recursive, names] of recursivePrefixCases) {
          it.concurrent(`${typeName}: ${name}`, async () => {
            if (!ctx) throw new Error('setup failed');
            const out = await ctx.store.getList(key, { ...rvOptions(), recursive });
            expect(out.items).toEqual(names.map((n) => objects.get(n)));
          });
        }
      }
    });

    it.concurrent('multi-page reads stay pinned to one revision while a transformer writes on every read', async (t) => {
      const ctx = await openStore(t, target);
      let reproducing!: ReproducingTransformer;
      ctx.updateTransformer((current) => {
        reproducing = new ReproducingTransformer(current, (index) => {
          const p = pod('', `pod-${index}`, { metadata: { labels: { even: String(index % 2 === 0) } } });
          return ctx.store.create(podKey(p), p);
        });
        return reproducing;
      });
      for (let i = 0; i < 5; i++) await reproducing.createObject();

      const predicate = { label: 'even=true', limit: 4 };
      const first = await ctx.store.getList('/pods/', { recursive: true, predicate });
      const exact = await ctx.store.getList('/pods/', {
        recursive: true, predicate, resourceVersion: first.metadata.resourceVersion, resourceVersionMatch: 'Exact',
      });
      expect(exact).toEqual(first);

      const notOlder = await ctx.store.getList('/pods/', {
        recursive: true, predicate, resourceVersion: first.metadata.resourceVersion, resourceVersionMatch: 'NotOlderThan',
      });
      const exactAgain = await ctx.store.getList('/pods/', {
        recursive: true, predicate, resourceVersion: notOlder.metadata.resourceVersion, resourceVersionMatch: 'Exact',
      });
      expect(exactAgain).toEqual(notOlder);
    });
  });
}
