import type { Backend, BackendWatchResponse } from '../backend/types.js';
import type { GroupResource } from '../config/config.js';
import type { MetricsRecorder, RequestOperation } from './metrics-recorder.js';

const now = () => performance.now();

/**
 * The Backend with every request timed under Kubernetes' operation names (`etcd3/latency_tracker.go` wraps the KV
 * client the same way): a compare-and-put on absent (expected revision 0) is `create`, otherwise `update`.
 * Watch responses count as events received, progress notifications as bookmarks.
 */
export function instrumentBackend(backend: Backend, metrics: MetricsRecorder, groupResource: GroupResource): Backend {
  const timed = <R>(operation: RequestOperation, run: () => Promise<R>): Promise<R> => {
    const start = now();
    return run().then(
      (result) => {
        metrics.recordRequest(operation, groupResource, (now() - start) / 1000, false);
        return result;
      },
      (err: unknown) => {
        metrics.recordRequest(operation, groupResource, (now() - start) / 1000, true);
        throw err;
      },
    );
  };
  const instrumented: Backend = {
    capabilities: backend.capabilities,
    ...(backend.clock ? { clock: backend.clock } : {}),
    get: (key, options) => timed('get', () => backend.get(key, options)),
    list: (prefix, options) => timed('list', () => backend.list(prefix, options)),
    count: (prefix, options) => timed('listWithCount', () => backend.count(prefix, options)),
    optimisticPut: (key, value, expected, options) =>
      timed(expected === 0 ? 'create' : 'update', () => backend.optimisticPut(key, value, expected, options)),
    optimisticDelete: (key, expected, options) => timed('delete', () => backend.optimisticDelete(key, expected, options)),
    watch: (key, options) => countEvents(backend.watch(key, options), metrics, groupResource),
    requestProgress: (options) => backend.requestProgress(options),
    grantLease: (ttl, options) => backend.grantLease(ttl, options),
    revokeLease: (id, options) => backend.revokeLease(id, options),
    compact: (revision, options) => backend.compact(revision, options),
    status: (options) => backend.status(options),
    close: () => backend.close(),
  };
  const txn = backend.txn?.bind(backend);
  return txn ? { ...instrumented, txn: (request, options) => timed('txn', () => txn(request, options)) } : instrumented;
}

function countEvents(
  source: AsyncIterable<BackendWatchResponse>,
  metrics: MetricsRecorder,
  groupResource: GroupResource,
): AsyncIterable<BackendWatchResponse> {
  return {
    [Symbol.asyncIterator]() {
      const it = source[Symbol.asyncIterator]();
      return {
        async next() {
          const res = await it.next();
          if (!res.done) {
            if (res.value.progressNotify && res.value.events.length === 0) metrics.recordBookmark(groupResource);
            else if (res.value.events.length > 0) metrics.recordEventsReceived(groupResource, res.value.events.length);
          }
          return res;
        },
        return: it.return ? (value?: unknown) => it.return!(value as undefined) : undefined,
        throw: it.throw ? (err?: unknown) => it.throw!(err) : undefined,
      } as AsyncIterator<BackendWatchResponse>;
    },
  };
}
