import type { Etcd3Backend } from './backend.js';

/** A running per-endpoint DB size poller. */
export interface DbSizeMonitor {
  stop(): void;
}

const JITTER = 0.5;

/**
 * Polls every member's DB size (Kubernetes `startDBSizeMonitorPerEndpoint`): one sample per endpoint right
 * away, then every `intervalMs` plus up to 50% jitter; `-1` on error. `intervalMs` 0 disables it. It stops by
 * itself when the backend closes.
 *
 * @example
 * const monitor = startDbSizeMonitor(backend, config.dbMetricPollIntervalMs, (endpoint, size) => gauge.set({ endpoint }, size));
 * monitor.stop();
 */
export function startDbSizeMonitor(
  backend: Etcd3Backend,
  intervalMs: number,
  onSample: (endpoint: string, sizeBytes: number) => void,
): DbSizeMonitor {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = intervalMs <= 0;
  const stop = () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
  if (stopped) return { stop };

  const poll = async (index: number, endpoint: string): Promise<void> => {
    if (stopped) return;
    if (backend.isClosed) {
      stop();
      return;
    }
    let size = -1;
    try {
      size = (await backend.endpointStatus(index, { signal: AbortSignal.timeout(intervalMs) })).dbSizeBytes;
    } catch {
      // Reported as -1, like Kubernetes.
    }
    if (stopped) return;
    onSample(endpoint, size);
    const timer = setTimeout(() => {
      timers.delete(timer);
      void poll(index, endpoint);
    }, intervalMs * (1 + Math.random() * JITTER));
    timer.unref();
    timers.add(timer);
  };
  backend.endpoints.forEach((endpoint, index) => void poll(index, endpoint));
  return { stop };
}
