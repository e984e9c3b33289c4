import type { Backend } from '../backend/types.js';
import type { ConfigForResource } from '../config/config.js';
import type { StorageObject } from '../storage/object.js';
import type { Storage } from '../storage/storage.js';
import type { MetricsRecorder } from './metrics-recorder.js';

/**
 * What `create()` runs beside a storage when the config has a recorder: the object count every
 * `countMetricPollPeriodMs` (0 = never, as Kubernetes' `--etcd-count-metric-poll-period=0`), −1 when counting
 * fails, and the database size read at scrape time. Returns the function that stops both and drops the series.
 */
export function startStorageMetrics(
  config: ConfigForResource,
  storage: Pick<Storage<StorageObject>, 'stats'>,
  backend: Backend,
  metrics: MetricsRecorder,
): () => void {
  const groupResource = config.groupResource;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  if (config.countMetricPollPeriodMs > 0) {
    const poll = (): void => {
      storage.stats().then(
        (stats) => !stopped && metrics.setObjectCount(groupResource, stats.objectCount),
        () => !stopped && metrics.setObjectCount(groupResource, -1),
      );
    };
    poll();
    timer = setInterval(poll, config.countMetricPollPeriodMs);
    // Metrics never keep a process alive.
    timer.unref();
  }
  const databaseKey = `${config.type === '' ? 'etcd3' : config.type}:${config.transport.serverList.join(',')}`;
  const unregister = metrics.registerDatabase(databaseKey, async (signal) => (await backend.status({ signal })).dbSizeBytes);
  return () => {
    stopped = true;
    if (timer !== undefined) clearInterval(timer);
    unregister();
    metrics.forgetResource(groupResource);
  };
}
