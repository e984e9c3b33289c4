import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Kubernetes' request latency buckets (`etcd3/metrics`, since 1.27). */
export const K8S_LATENCY_BUCKETS: readonly number[] = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];
export const LEASE_OBJECT_COUNT_BUCKETS: readonly number[] = [10, 50, 100, 500, 1000, 2500, 5000];

const GR = ['group', 'resource'] as const;

/** Help text as component-base renders it: the stability level first, then the deprecation. */
const help = (level: 'ALPHA' | 'BETA' | 'STABLE', text: string, deprecatedSince?: string) =>
  `[${level}] ${deprecatedSince ? `(Deprecated since ${deprecatedSince}) ` : ''}${text}`;

type Ctor<M> = new (config: never) => M;

/** The registry's metric of that name, created once: a second recorder on the same registry reuses it. */
function metric<M>(registry: Registry, Kind: Ctor<M>, config: { name: string } & Record<string, unknown>): M {
  const existing = registry.getSingleMetric(config.name);
  if (existing !== undefined) {
    if (!(existing instanceof (Kind as unknown as abstract new (...args: never[]) => unknown))) {
      throw new Error(`metric ${config.name} is already registered with another type`);
    }
    return existing as M;
  }
  return new Kind({ ...config, registers: [registry] } as never);
}

/** Every Kubernetes storage metric the recorder feeds, with upstream names, labels, buckets and help. */
export function kubernetesStorageMetrics(registry: Registry) {
  return {
    storageObjects: metric(registry, Gauge<'resource'>, {
      name: 'apiserver_storage_objects',
      help: help(
        'STABLE',
        '[DEPRECATED, consider using apiserver_resource_objects instead] Number of stored objects at the time of last ' +
          'check split by kind. In case of a fetching error, the value will be -1.',
        '1.34.0',
      ),
      labelNames: ['resource'],
    }),
    resourceObjects: metric(registry, Gauge<(typeof GR)[number]>, {
      name: 'apiserver_resource_objects',
      help: help('ALPHA', 'Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.'),
      labelNames: GR,
    }),
    eventsReceived: metric(registry, Counter<(typeof GR)[number]>, {
      name: 'apiserver_storage_events_received_total',
      help: help('BETA', 'Number of etcd events received split by kind.'),
      labelNames: GR,
    }),
    bookmarkCounts: metric(registry, Gauge<(typeof GR)[number]>, {
      name: 'etcd_bookmark_counts',
      help: help('ALPHA', 'Number of etcd bookmarks (progress notify events) split by kind.', '1.36.0'),
      labelNames: GR,
    }),
    bookmarks: metric(registry, Counter<(typeof GR)[number]>, {
      name: 'etcd_bookmark_total',
      help: help('ALPHA', 'Number of etcd bookmarks (progress notify events) split by kind.'),
      labelNames: GR,
    }),
    leaseObjectCounts: metric(registry, Histogram, {
      name: 'etcd_lease_object_counts',
      help: help('ALPHA', 'Number of objects attached to a single etcd lease.'),
      buckets: [...LEASE_OBJECT_COUNT_BUCKETS],
    }),
    decodeErrors: metric(registry, Counter<(typeof GR)[number]>, {
      name: 'apiserver_storage_decode_errors_total',
      help: help('ALPHA', 'Number of stored object decode errors split by object type'),
      labelNames: GR,
    }),
    lists: metric(registry, Counter<'group' | 'resource' | 'storage' | 'index'>, {
      name: 'apiserver_storage_list_total',
      help: help('ALPHA', 'Number of LIST requests served from storage'),
      labelNames: ['group', 'resource', 'storage', 'index'],
    }),
    listFetched: metric(registry, Counter<'group' | 'resource' | 'storage' | 'index'>, {
      name: 'apiserver_storage_list_fetched_objects_total',
      help: help('ALPHA', 'Number of objects read from storage in the course of serving a LIST request'),
      labelNames: ['group', 'resource', 'storage', 'index'],
    }),
    listEvaluated: metric(registry, Counter<'group' | 'resource' | 'storage'>, {
      name: 'apiserver_storage_list_evaluated_objects_total',
      help: help('ALPHA', 'Number of objects tested in the course of serving a LIST request from storage'),
      labelNames: ['group', 'resource', 'storage'],
    }),
    listReturned: metric(registry, Counter<'group' | 'resource' | 'storage'>, {
      name: 'apiserver_storage_list_returned_objects_total',
      help: help('ALPHA', 'Number of objects returned for a LIST request from storage'),
      labelNames: ['group', 'resource', 'storage'],
    }),
  };
}

export type KubernetesStorageMetrics = ReturnType<typeof kubernetesStorageMetrics>;
