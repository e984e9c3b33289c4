import type { Registry } from 'prom-client';
import { K8S_LATENCY_BUCKETS } from './kubernetes-metrics.js';

interface Series {
  readonly labels: Readonly<Record<'operation' | 'group' | 'resource', string>>;
  /** Per-bucket (not cumulative) counts; made cumulative at scrape time. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
  errors: number;
}

interface ExportedValue {
  readonly labels: Record<string, string | number>;
  readonly value: number;
  readonly metricName?: string;
}

/** A metric object prom-client's Registry can render (what its own metrics' `get()` return). */
interface RegistryMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram' | 'counter';
  readonly aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; values: ExportedValue[]; aggregator: 'sum' }>;
  reset(): void;
}

const owners = new WeakMap<Registry, RequestMetrics>();

/**
 * `etcd_request_duration_seconds`, `etcd_requests_total` and `etcd_request_errors_total` from one table kept by
 * this package: a request costs a map lookup and a bucket search instead of three prom-client label hashes (the
 * hottest path of every storage call), and the three metrics are rendered from the table at scrape time.
 */
export class RequestMetrics {
  readonly #series = new Map<string, Series>();

  /** The registry's instance, registering the three metrics on first use. */
  static on(registry: Registry): RequestMetrics {
    const known = owners.get(registry);
    if (known !== undefined) return known;
    const created = new RequestMetrics();
    for (const metric of created.#metrics()) {
      if (registry.getSingleMetric(metric.name) !== undefined) {
        throw new Error(`metric ${metric.name} is already registered on this registry by something else`);
      }
      registry.registerMetric(metric as never);
    }
    owners.set(registry, created);
    return created;
  }

  record(operation: string, group: string, resource: string, seconds: number, failed: boolean): void {
    const key = `${operation}\u0000${group}\u0000${resource}`;
    let series = this.#series.get(key);
    if (series === undefined) {
      series = { labels: { operation, group, resource }, buckets: new Float64Array(K8S_LATENCY_BUCKETS.length), sum: 0, count: 0, errors: 0 };
      this.#series.set(key, series);
    }
    // Prometheus buckets are upper-inclusive (le); past the last bound only +Inf counts it.
    let i = 0;
    while (i < K8S_LATENCY_BUCKETS.length && seconds > K8S_LATENCY_BUCKETS[i]!) i++;
    if (i < series.buckets.length) series.buckets[i]! += 1;
    series.sum += seconds;
    series.count++;
    if (failed) series.errors++;
  }

  #metrics(): RegistryMetric[] {
    const all = () => [...this.#series.values()];
    const metric = (
      name: string,
      type: RegistryMetric['type'],
      help: string,
      values: () => ExportedValue[],
    ): RegistryMetric => ({
      name,
      help,
      type,
      aggregator: 'sum',
      get: async () => ({ name, help, type, values: values(), aggregator: 'sum' }),
      reset: () => this.#series.clear(),
    });
    return [
      metric('etcd_request_duration_seconds', 'histogram', '[ALPHA] Etcd request latency in seconds for each operation and object type.', () =>
        all().flatMap((s) => {
          const out: ExportedValue[] = [];
          let cumulative = 0;
          K8S_LATENCY_BUCKETS.forEach((le, i) => {
            cumulative += s.buckets[i]!;
            out.push({ labels: { ...s.labels, le }, value: cumulative, metricName: 'etcd_request_duration_seconds_bucket' });
          });
          out.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: 'etcd_request_duration_seconds_bucket' });
          out.push({ labels: { ...s.labels }, value: s.sum, metricName: 'etcd_request_duration_seconds_sum' });
          out.push({ labels: { ...s.labels }, value: s.count, metricName: 'etcd_request_duration_seconds_count' });
          return out;
        }),
      ),
      metric('etcd_requests_total', 'counter', '[ALPHA] Etcd request counts for each operation and object type.', () =>
        all().map((s) => ({ labels: { ...s.labels }, value: s.count })),
      ),
      // Like a Go CounterVec: a label set appears once it has counted an error.
      metric('etcd_request_errors_total', 'counter', '[ALPHA] Etcd failed request counts for each operation and object type.', () =>
        all()
          .filter((s) => s.errors > 0)
          .map((s) => ({ labels: { ...s.labels }, value: s.errors })),
      ),
    ];
  }
}
