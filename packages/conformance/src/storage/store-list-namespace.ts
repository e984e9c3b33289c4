import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { createStorageTestContext, type StorageTestContext } from './context.js';
import { podKey, type Pod } from './fixtures.js';

const p = (name: string, namespace: string): Pod => ({ metadata: { name, namespace } });
const assigned = (name: string, namespace: string, nodeName: string): Pod => ({ ...p(name, namespace), spec: { nodeName } });
const running = (name: string, namespace: string): Pod => ({ ...p(name, namespace), status: { phase: 'Running' } });

/** One case; `n` prefixes every namespace so cases can share a store. */
interface NamespaceCase {
  readonly namespace?: string;
  readonly field: (n: string) => string;
  readonly input: (n: string) => Pod[];
  readonly expected: (n: string) => Pod[];
}

const cases: Record<string, NamespaceCase> = {
  'no namespace, no field selector': {
    field: () => '',
    input: (n) => [p('foo1', `${n}ns1`), p('foo2', `${n}ns2`)],
    expected: (n) => [p('foo1', `${n}ns1`), p('foo2', `${n}ns2`)],
  },
  'no namespace, metadata.namespace selector': {
    field: (n) => `metadata.namespace=${n}ns1`,
    input: (n) => [p('foo1', `${n}ns1`), p('foo1', `${n}ns2`)],
    expected: (n) => [p('foo1', `${n}ns1`)],
  },
  'no namespace, spec.nodeName selector': {
    field: () => 'spec.nodeName=bar1',
    input: (n) => [assigned('foo1', `${n}ns1`, 'bar1'), assigned('foo2', `${n}ns2`, 'bar2')],
    expected: (n) => [assigned('foo1', `${n}ns1`, 'bar1')],
  },
  'no namespace, spec.nodeName exclusion': {
    field: () => 'spec.nodeName!=bar1',
    input: (n) => [assigned('foo1', `${n}ns1`, 'bar1'), assigned('foo2', `${n}ns2`, 'bar2')],
    expected: (n) => [assigned('foo2', `${n}ns2`, 'bar2')],
  },
  'namespace in the key, no field selector': {
    namespace: 'ns1',
    field: () => '',
    input: (n) => [p('foo1', `${n}ns1`), p('foo1', `${n}ns2`), p('foo2', `${n}ns1`)],
    expected: (n) => [p('foo1', `${n}ns1`), p('foo2', `${n}ns1`)],
  },
  'namespace in the key and a matching metadata.namespace selector': {
    namespace: 'ns1',
    field: (n) => `metadata.namespace=${n}ns1`,
    input: (n) => [p('foo1', `${n}ns1`), p('foo1', `${n}ns2`)],
    expected: (n) => [p('foo1', `${n}ns1`)],
  },
  'namespace in the key and a different metadata.namespace selector': {
    namespace: 'ns1',
    field: (n) => `metadata.namespace=${n}ns2`,
    input: (n) => [p('foo1', `${n}ns1`), p('foo1', `${n}ns2`), running('foo2', `${n}ns1`), running('foo2', `${n}ns2`)],
    expected: () => [],
  },
  'namespace in the key and a spec.nodeName selector': {
    namespace: 'ns1',
    field: () => 'spec.nodeName=bar2',
    input: (n) => [assigned('foo1', `${n}ns1`, 'bar1'), assigned('foo1', `${n}ns2`, 'bar2'), assigned('foo2', `${n}ns1`, 'bar2')],
    expected: (n) => [assigned('foo2', `${n}ns1`, 'bar2')],
  },
  'namespace in the key and a spec.nodeName exclusion': {
    namespace: 'ns2',
    field: () => 'spec.nodeName!=bar1',
    input: (n) => [p('foo1', `${n}ns1`), p('foo1', `${n}ns2`), assigned('foo3', `${n}ns2`, 'bar1'), assigned('foo2', `${n}ns2`, 'bar2')],
    expected: (n) => [p('foo1', `${n}ns2`), assigned('foo2', `${n}ns2`, 'bar2')],
  },
  'no namespace, metadata.name selector': {
    field: () => 'metadata.name=foo1',
    input: (n) => [p('foo1', `${n}ns1`), p('foo1', `${n}ns2`), p('foo2', `${n}ns1`)],
    expected: (n) => [p('foo1', `${n}ns1`), p('foo1', `${n}ns2`)],
  },
  'no namespace, metadata.name and metadata.namespace selectors': {
    field: (n) => `metadata.name=foo1,metadata.namespace=${n}ns1`,
    input: (n) => [p('foo1', `${n}ns1`), p('foo2', `${n}ns1`), p('foo1', `${n}ns2`)],
    expected: (n) => [p('foo1', `${n}ns1`)],
  },
  'no namespace, metadata.name and spec.nodeName selectors': {
    field: () => 'metadata.name=foo1,spec.nodeName=bar1',
    input: (n) => [assigned('foo1', `${n}ns1`, 'bar1')],
    expected: (n) => [assigned('foo1', `${n}ns1`, 'bar1')],
  },
  'no namespace, metadata.name selector and a spec.nodeName exclusion': {
    field: () => 'spec.nodeName!=bar1,metadata.name=foo1',
    input: (n) => [
      p('foo1', `${n}ns1`), p('foo2', `${n}ns1`), assigned('foo1', `${n}ns2`, 'bar1'),
      assigned('foo2', `${n}ns2`, 'bar1'), assigned('foo1', `${n}ns3`, 'bar2'), assigned('foo2', `${n}ns3`, 'bar2'),
    ],
    expected: (n) => [p('foo1', `${n}ns1`), assigned('foo1', `${n}ns3`, 'bar2')],
  },
  'namespace in the key and a metadata.name selector': {
    namespace: 'ns1',
    field: () => 'metadata.name=foo1',
    input: (n) => [p('foo1', `${n}ns1`), p('foo2', `${n}ns1`), p('foo1', `${n}ns2`), p('foo2', `${n}ns2`)],
    expected: (n) => [p('foo1', `${n}ns1`)],
  },
  'namespace in the key, metadata.name and metadata.namespace selectors': {
    namespace: 'ns1',
    field: (n) => `metadata.name=foo1,metadata.namespace=${n}ns1`,
    input: (n) => [p('foo1', `${n}ns1`), p('foo2', `${n}ns1`), p('foo1', `${n}ns2`), p('foo2', `${n}ns2`)],
    expected: (n) => [p('foo1', `${n}ns1`)],
  },
  'namespace in the key, name, namespace and spec.nodeName selectors': {
    namespace: 'ns2',
    field: (n) => `metadata.name=foo2,metadata.namespace=${n}ns2,spec.nodeName=bar1`,
    input: (n) => [
      p('foo1', `${n}ns1`), p('foo2', `${n}ns1`), p('foo1', `${n}ns2`),
      assigned('foo2', `${n}ns2`, 'bar1'), assigned('foo1', `${n}ns3`, 'bar1'), assigned('foo2', `${n}ns3`, 'bar1'),
    ],
    expected: (n) => [assigned('foo2', `${n}ns2`, 'bar1')],
  },
  'namespace in the key, name and namespace selectors and a spec.nodeName exclusion': {
    namespace: 'ns2',
    field: (n) => `spec.nodeName!=bar2,metadata.name=foo1,metadata.namespace=${n}ns2`,
    input: (n) => [
      p('foo1', `${n}ns1`), p('foo2', `${n}ns1`), assigned('foo1', `${n}ns2`, 'bar1'),
      assigned('foo2', `${n}ns2`, 'bar2'), assigned('foo1', `${n}ns3`, 'bar2'),
    ],
    expected: (n) => [assigned('foo1', `${n}ns2`, 'bar1')],
  },
};

/** Kubernetes RunTestNamespaceScopedList: namespace in the key vs field selectors on namespace, name and node. */
export function storeListNamespaceTests(target: ConformanceTarget): void {
  describe('namespace-scoped lists with field selectors', () => {
    let ctx: StorageTestContext | undefined;
    beforeAll(async () => {
      ctx = await createStorageTestContext(target);
    });
    afterAll(async () => ctx?.close());

    for (const [index, [name, c]] of Object.entries(cases).entries()) {
      it.concurrent(name, async () => {
        if (!ctx) throw new Error('setup failed');
        const n = `t${index}-`;
        const keys = new Set<string>();
        for (const input of c.input(n)) {
          keys.add(podKey(input));
          await ctx.store.create(podKey(input), input);
        }
        const field = c.field(n);
        const out = await ctx.store.getList(c.namespace ? `/pods/${n}${c.namespace}` : '/pods/', {
          recursive: true,
          predicate: field ? { field } : {},
        });
        const mine = out.items
          .filter((item) => keys.has(podKey(item)))
          .map(({ metadata: { resourceVersion: _rv, ...metadata }, ...rest }) => ({ ...rest, metadata }));
        expect(mine).toEqual(c.expected(n));
      });
    }
  });
}
