import type { WatchEventType } from '@storagebackend/core';
import type { Pod } from './fixtures.js';

export type Step = readonly [obj: Pod, expect?: WatchEventType];

export interface ScopedCase {
  readonly name: string;
  /** Watch `/pods/<namespace>/<name>`-style keys down to these parts (the request's namespace and name). */
  readonly namespace?: string;
  readonly objectName?: string;
  readonly recursive: boolean;
  readonly field?: string;
  /** The selector uses `spec.nodeName`, so the predicate gets an attribute function exposing it. */
  readonly nodeName?: boolean;
  readonly steps: readonly Step[];
}

const base = (name: string, namespace?: string): Pod => ({ metadata: { name, ...(namespace ? { namespace } : {}) } });
const updated = (name: string, namespace?: string): Pod => ({ ...base(name, namespace), status: { phase: 'Running' } });
const assigned = (name: string, namespace: string | undefined, nodeName: string): Pod => ({
  ...base(name, namespace),
  spec: { nodeName },
});

/** Kubernetes `RunTestClusterScopedWatch` cases: keys `/pods/<name>`. */
export const CLUSTER_CASES: readonly ScopedCase[] = [
  {
    name: 'cluster-wide, no name, no selector',
    recursive: true,
    steps: [
      [base('t1-foo1'), 'ADDED'],
      [updated('t1-foo1'), 'MODIFIED'],
      [assigned('t1-foo2', undefined, 't1-bar1'), 'ADDED'],
    ],
  },
  {
    name: 'cluster-wide, no name, spec.nodeName=',
    recursive: true,
    field: 'spec.nodeName=t2-bar1',
    nodeName: true,
    steps: [[base('t2-foo1')], [assigned('t2-foo1', undefined, 't2-bar1'), 'ADDED']],
  },
  {
    name: 'cluster-wide, no name, spec.nodeName!= filters out',
    recursive: true,
    field: 'spec.nodeName!=t3-bar1',
    nodeName: true,
    steps: [
      [base('t3-foo1'), 'ADDED'],
      [base('t3-foo2'), 'ADDED'],
      [updated('t3-foo1'), 'MODIFIED'],
      [assigned('t3-foo1', undefined, 't3-bar1'), 'DELETED'],
    ],
  },
  {
    name: 'named, metadata.name',
    objectName: 't4-foo1',
    recursive: false,
    field: 'metadata.name=t4-foo1',
    steps: [[base('t4-foo1'), 'ADDED'], [base('t4-foo2')], [updated('t4-foo1'), 'MODIFIED'], [updated('t4-foo2')]],
  },
  {
    name: 'named, metadata.name and spec.nodeName',
    objectName: 't5-foo1',
    recursive: false,
    field: 'metadata.name=t5-foo1,spec.nodeName=t5-bar1',
    nodeName: true,
    steps: [
      [base('t5-foo1')],
      [base('t5-foo2')],
      [updated('t5-foo1')],
      [updated('t5-foo2')],
      [assigned('t5-foo1', undefined, 't5-bar1'), 'ADDED'],
    ],
  },
  {
    name: 'named, metadata.name and spec.nodeName!= filters out',
    objectName: 't6-foo1',
    recursive: false,
    field: 'spec.nodeName!=t6-bar1,metadata.name=t6-foo1',
    nodeName: true,
    steps: [
      [base('t6-foo1'), 'ADDED'],
      [base('t6-foo2')],
      [updated('t6-foo1'), 'MODIFIED'],
      [assigned('t6-foo1', undefined, 't6-bar1'), 'DELETED'],
      [assigned('t6-foo2', undefined, 't6-bar1')],
    ],
  },
];

/** Kubernetes `RunTestNamespaceScopedWatch` cases: keys `/pods/<namespace>/<name>`. */
export const NAMESPACED_CASES: readonly ScopedCase[] = [
  {
    name: 'all namespaces, no selector',
    recursive: true,
    steps: [
      [base('t1-foo1', 't1-ns1'), 'ADDED'],
      [base('t1-foo2', 't1-ns2'), 'ADDED'],
      [updated('t1-foo1', 't1-ns1'), 'MODIFIED'],
      [updated('t1-foo2', 't1-ns2'), 'MODIFIED'],
    ],
  },
  {
    name: 'all namespaces, metadata.namespace',
    recursive: true,
    field: 'metadata.namespace=t2-ns1',
    steps: [
      [base('t2-foo1', 't2-ns1'), 'ADDED'],
      [base('t2-foo1', 't2-ns2')],
      [updated('t2-foo1', 't2-ns1'), 'MODIFIED'],
      [updated('t2-foo1', 't2-ns2')],
    ],
  },
  {
    name: 'all namespaces, spec.nodeName=',
    recursive: true,
    field: 'spec.nodeName=t3-bar1',
    nodeName: true,
    steps: [
      [base('t3-foo1', 't3-ns1')],
      [base('t3-foo2', 't3-ns2')],
      [assigned('t3-foo1', 't3-ns1', 't3-bar1'), 'ADDED'],
      [assigned('t3-foo2', 't3-ns2', 't3-bar1'), 'ADDED'],
    ],
  },
  {
    name: 'all namespaces, spec.nodeName!= filters out',
    recursive: true,
    field: 'spec.nodeName!=t4-bar1',
    nodeName: true,
    steps: [
      [base('t4-foo1', 't4-ns1'), 'ADDED'],
      [base('t4-foo2', 't4-ns1'), 'ADDED'],
      [updated('t4-foo1', 't4-ns1'), 'MODIFIED'],
      [assigned('t4-foo1', 't4-ns1', 't4-bar1'), 'DELETED'],
    ],
  },
  {
    name: 'one namespace, no selector',
    namespace: 't5-ns1',
    recursive: true,
    steps: [
      [base('t5-foo1', 't5-ns1'), 'ADDED'],
      [base('t5-foo1', 't5-ns2')],
      [base('t5-foo2', 't5-ns1'), 'ADDED'],
      [updated('t5-foo1', 't5-ns1'), 'MODIFIED'],
      [updated('t5-foo1', 't5-ns2')],
    ],
  },
  {
    name: 'one namespace, matching metadata.namespace',
    namespace: 't6-ns1',
    recursive: true,
    field: 'metadata.namespace=t6-ns1',
    steps: [
      [base('t6-foo1', 't6-ns1'), 'ADDED'],
      [base('t6-foo1', 't6-ns2')],
      [updated('t6-foo1', 't6-ns1'), 'MODIFIED'],
    ],
  },
  {
    name: 'one namespace, other metadata.namespace',
    namespace: 't7-ns1',
    recursive: true,
    field: 'metadata.namespace=t7-ns2',
    steps: [
      [base('t7-foo1', 't7-ns1')],
      [base('t7-foo1', 't7-ns2')],
      [updated('t7-foo1', 't7-ns1')],
      [updated('t7-foo1', 't7-ns2')],
    ],
  },
  {
    name: 'one namespace, spec.nodeName=',
    namespace: 't8-ns1',
    recursive: true,
    field: 'spec.nodeName=t8-bar2',
    nodeName: true,
    steps: [
      [base('t8-foo1', 't8-ns1')],
      [assigned('t8-foo1', 't8-ns1', 't8-bar1')],
      [assigned('t8-foo1', 't8-ns2', 't8-bar2')],
      [assigned('t8-foo1', 't8-ns1', 't8-bar2'), 'ADDED'],
    ],
  },
  {
    name: 'one namespace, spec.nodeName!= filters out',
    namespace: 't9-ns2',
    recursive: true,
    field: 'spec.nodeName!=t9-bar1',
    nodeName: true,
    steps: [
      [base('t9-foo1', 't9-ns1')],
      [base('t9-foo1', 't9-ns2'), 'ADDED'],
      [assigned('t9-foo1', 't9-ns2', 't9-bar1'), 'DELETED'],
      [assigned('t9-foo1', 't9-ns2', 't9-bar2'), 'ADDED'],
    ],
  },
  {
    name: 'name in all namespaces, metadata.name',
    objectName: 't10-foo1',
    recursive: true,
    field: 'metadata.name=t10-foo1',
    steps: [
      [base('t10-foo1', 't10-ns1'), 'ADDED'],
      [base('t10-foo1', 't10-ns2'), 'ADDED'],
      [base('t10-foo2', 't10-ns1')],
      [updated('t10-foo1', 't10-ns1'), 'MODIFIED'],
      [assigned('t10-foo1', 't10-ns1', 't10-bar1'), 'MODIFIED'],
    ],
  },
  {
    name: 'name in all namespaces, metadata.name and metadata.namespace',
    objectName: 't11-foo1',
    recursive: true,
    field: 'metadata.name=t11-foo1,metadata.namespace=t11-ns1',
    steps: [
      [base('t11-foo1', 't11-ns1'), 'ADDED'],
      [base('t11-foo2', 't11-ns1')],
      [base('t11-foo1', 't11-ns2')],
      [updated('t11-foo1', 't11-ns1'), 'MODIFIED'],
      [assigned('t11-foo1', 't11-ns1', 't11-bar1'), 'MODIFIED'],
    ],
  },
  {
    name: 'name in all namespaces, metadata.name and spec.nodeName',
    objectName: 't12-foo1',
    recursive: true,
    field: 'metadata.name=t12-foo1,spec.nodeName=t12-bar1',
    nodeName: true,
    steps: [
      [base('t12-foo1', 't12-ns1')],
      [updated('t12-foo1', 't12-ns1')],
      [assigned('t12-foo1', 't12-ns1', 't12-bar1'), 'ADDED'],
    ],
  },
  {
    name: 'name in all namespaces, metadata.name and spec.nodeName!= filters out',
    objectName: 't15-foo1',
    recursive: true,
    field: 'spec.nodeName!=t15-bar1,metadata.name=t15-foo1',
    nodeName: true,
    steps: [
      [base('t15-foo1', 't15-ns1'), 'ADDED'],
      [base('t15-foo2', 't15-ns1')],
      [updated('t15-foo1', 't15-ns1'), 'MODIFIED'],
      [assigned('t15-foo1', 't15-ns1', 't15-bar1'), 'DELETED'],
      [assigned('t15-foo1', 't15-ns1', 't15-bar2'), 'ADDED'],
    ],
  },
  {
    name: 'one object, metadata.name',
    namespace: 't16-ns1',
    objectName: 't16-foo1',
    recursive: false,
    field: 'metadata.name=t16-foo1',
    steps: [
      [base('t16-foo1', 't16-ns1'), 'ADDED'],
      [base('t16-foo2', 't16-ns1')],
      [updated('t16-foo1', 't16-ns1'), 'MODIFIED'],
      [assigned('t16-foo1', 't16-ns1', 't16-bar1'), 'MODIFIED'],
    ],
  },
  {
    name: 'one object, metadata.name and metadata.namespace',
    namespace: 't17-ns1',
    objectName: 't17-foo2',
    recursive: false,
    field: 'metadata.name=t17-foo2,metadata.namespace=t17-ns1',
    steps: [
      [base('t17-foo1', 't17-ns1')],
      [base('t17-foo2', 't17-ns1'), 'ADDED'],
      [updated('t17-foo1', 't17-ns1')],
      [assigned('t17-foo2', 't17-ns1', 't17-bar1'), 'MODIFIED'],
    ],
  },
  {
    name: 'one object, metadata.name, metadata.namespace and spec.nodeName',
    namespace: 't18-ns1',
    objectName: 't18-foo1',
    recursive: false,
    field: 'metadata.name=t18-foo1,metadata.namespace=t18-ns1,spec.nodeName=t18-bar1',
    nodeName: true,
    steps: [
      [base('t18-foo1', 't18-ns1')],
      [base('t18-foo2', 't18-ns1')],
      [base('t18-foo1', 't18-ns2')],
      [updated('t18-foo1', 't18-ns1')],
      [assigned('t18-foo1', 't18-ns1', 't18-bar1'), 'ADDED'],
    ],
  },
  {
    name: 'one object, metadata.name, metadata.namespace and spec.nodeName!= filters out',
    namespace: 't19-ns1',
    objectName: 't19-foo2',
    recursive: false,
    field: 'spec.nodeName!=t19-bar1,metadata.name=t19-foo2,metadata.namespace=t19-ns1',
    nodeName: true,
    steps: [
      [base('t19-foo1', 't19-ns1')],
      [base('t19-foo2', 't19-ns2')],
      [base('t19-foo2', 't19-ns1'), 'ADDED'],
      [updated('t19-foo2', 't19-ns1'), 'MODIFIED'],
      [assigned('t19-foo2', 't19-ns1', 't19-bar1'), 'DELETED'],
    ],
  },
];
