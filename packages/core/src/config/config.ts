import type { Codec } from '../codec/codec.js';
import type { MetricsRecorder } from '../observability/metrics-recorder.js';
import type { Transformer } from '../transform/transformer.js';

/**
 * Which backend to use: `''` means etcd3, `'etcd2'` is rejected, any registered driver type is accepted.
 *
 * @example
 * const type: StorageType = 'sqlite';
 */
export type StorageType = '' | 'etcd2' | 'etcd3' | 'memory' | 'sqlite' | 'redis' | (string & {});

/**
 * How to reach the backend. Equal transports mean the same servers (one compactor is shared per transport).
 *
 * @example
 * const transport: TransportConfig = { serverList: ['http://127.0.0.1:2379'], keyFile: '', certFile: '', trustedCAFile: '' };
 */
export interface TransportConfig {
  /** etcd: `http(s)://host:port`; sqlite: a file path or `:memory:`; redis: `redis://` URLs; memory: a name. */
  readonly serverList: readonly string[];
  readonly keyFile: string;
  readonly certFile: string;
  readonly trustedCAFile: string;
}

/** TTL lease reuse (Kubernetes `LeaseManagerConfig`). */
export interface LeaseManagerConfig {
  /** Reuse a lease for objects whose expiry falls within this many seconds of it. */
  readonly reuseDurationSeconds: number;
  /** Attach at most this many objects to one lease (≤ 0 means 1000). */
  readonly maxObjectCount: number;
}

/**
 * Storage configuration (Kubernetes `storagebackend.Config`); durations are milliseconds.
 *
 * @example
 * const config = { ...newDefaultConfig('/registry'), type: 'memory', transport: { ...newDefaultConfig('/registry').transport, serverList: ['test'] } };
 */
export interface Config {
  readonly type: StorageType;
  /** Prefix of every key in the backend, e.g. `/registry`. */
  readonly prefix: string;
  readonly transport: TransportConfig;
  readonly codec: Codec;
  /** Value transformer (encryption at rest); absent means the encrypt-check identity transformer. */
  readonly transformer?: Transformer;
  /** How often the compactor runs; 0 disables it. */
  readonly compactionIntervalMs: number;
  /** How often stats are polled per resource; 0 disables. */
  readonly countMetricPollPeriodMs: number;
  /** How often the database size is polled; 0 disables. */
  readonly dbMetricPollIntervalMs: number;
  readonly eventsHistoryWindowMs: number;
  readonly healthcheckTimeoutMs: number;
  readonly readycheckTimeoutMs: number;
  readonly leaseManagerConfig: LeaseManagerConfig;
  /** Driver-specific settings (e.g. SQLite `synchronous`), validated by the driver. */
  readonly driverOptions?: Readonly<Record<string, unknown>>;
  /**
   * Where Kubernetes' storage metrics go (e.g. `prometheusRecorder({ registry })` from `@storagebackend/prometheus`);
   * absent: recorded nowhere, and nothing is registered anywhere.
   */
  readonly metrics?: MetricsRecorder;
}

export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

/**
 * A Config bound to one resource.
 *
 * @example
 * const forPods: ConfigForResource = { ...config, groupResource: { group: '', resource: 'pods' } }; // prefix /pods/
 */
export interface ConfigForResource extends Config {
  readonly groupResource: GroupResource;
  /** Key prefix of this resource's objects; default `/<resource>/`, or `/<group>/<resource>/` with a group. */
  readonly resourcePrefix?: string;
}

export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_DB_METRIC_POLL_INTERVAL_MS = 30_000;
export const DEFAULT_EVENTS_HISTORY_WINDOW_MS = 75_000;
export const DEFAULT_HEALTHCHECK_TIMEOUT_MS = 2_000;
export const DEFAULT_READYCHECK_TIMEOUT_MS = 2_000;
export const DEFAULT_LEASE_REUSE_DURATION_SECONDS = 60;
export const DEFAULT_LEASE_MAX_OBJECT_COUNT = 1000;
