import type { GroupResource, ListCost, MetricsRecorder, RequestOperation } from '@storagebackend/core';
import type { Registry } from 'prom-client';
import { kubernetesStorageMetrics } from './kubernetes-metrics.js';
import { RequestMetrics } from './request-metrics.js';
import { registerDatabase } from './storage-size.js';

export interface PrometheusRecorderOptions {
  /** The registry the metrics live on; the app passes its own (nothing touches prom-client's global registry). */
  readonly registry: Registry;
}

/** `GroupResource.String()`: `pods`, `deployments.apps`. */
const grString = (gr: GroupResource) => (gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`);

/**
 * Kubernetes' storage metrics on a prom-client Registry: `etcd_request_duration_seconds`, `etcd_requests_total`,
 * `etcd_request_errors_total`, `apiserver_resource_objects` (and the deprecated `apiserver_storage_objects`),
 * `apiserver_storage_size_bytes`, `apiserver_storage_events_received_total`, `etcd_bookmark_total`,
 * `etcd_lease_object_counts`, `apiserver_storage_decode_errors_total` and the `apiserver_storage_list_*` counters.
 * Two recorders on one registry share its metrics.
 *
 * @example
 * import { Registry } from 'prom-client';
 * const registry = new Registry();
 * const { storage } = await create({ type: 'sqlite', transport: { serverList: ['./data.db'] }, groupResource,
 *   countMetricPollPeriodMs: 60_000, metrics: prometheusRecorder({ registry }) });
 * console.log(await registry.metrics());
 */
export function prometheusRecorder(options: PrometheusRecorderOptions): MetricsRecorder {
  const registry = options.registry;
  if (registry === null || typeof registry !== 'object' || typeof registry.getSingleMetric !== 'function') {
    throw new TypeError('prometheusRecorder needs { registry }: a prom-client Registry');
  }
  const requests = RequestMetrics.on(registry);
  const m = kubernetesStorageMetrics(registry);
  return {
    recordRequest(operation: RequestOperation, gr: GroupResource, seconds: number, failed: boolean) {
      requests.record(operation, gr.group, gr.resource, seconds, failed);
    },
    recordEventsReceived(gr, count) {
      m.eventsReceived.inc({ group: gr.group, resource: gr.resource }, count);
    },
    recordBookmark(gr) {
      m.bookmarks.inc({ group: gr.group, resource: gr.resource });
      m.bookmarkCounts.inc({ group: gr.group, resource: gr.resource });
    },
    recordLeaseObjectCount(count) {
      m.leaseObjectCounts.observe(count);
    },
    recordDecodeError(gr) {
      m.decodeErrors.inc({ group: gr.group, resource: gr.resource });
    },
    recordList(gr: GroupResource, cost: ListCost) {
      const base = { group: gr.group, resource: gr.resource, storage: 'etcd' };
      m.lists.inc({ ...base, index: '' });
      m.listFetched.inc({ ...base, index: '' }, cost.fetched);
      m.listEvaluated.inc(base, cost.evaluated);
      m.listReturned.inc(base, cost.returned);
    },
    setObjectCount(gr, count) {
      m.storageObjects.set({ resource: grString(gr) }, count);
      m.resourceObjects.set({ group: gr.group, resource: gr.resource }, count);
    },
    forgetResource(gr) {
      m.storageObjects.remove({ resource: grString(gr) });
      m.resourceObjects.remove({ group: gr.group, resource: gr.resource });
    },
    registerDatabase(key, size) {
      return registerDatabase(registry, key, size);
    },
  };
}
