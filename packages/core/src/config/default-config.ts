import { jsonCodec } from '../codec/json-codec.js';
import type { Codec } from '../codec/codec.js';
import {
  DEFAULT_COMPACTION_INTERVAL_MS,
  DEFAULT_DB_METRIC_POLL_INTERVAL_MS,
  DEFAULT_EVENTS_HISTORY_WINDOW_MS,
  DEFAULT_HEALTHCHECK_TIMEOUT_MS,
  DEFAULT_LEASE_MAX_OBJECT_COUNT,
  DEFAULT_LEASE_REUSE_DURATION_SECONDS,
  DEFAULT_READYCHECK_TIMEOUT_MS,
  type Config,
  type ConfigForResource,
  type GroupResource,
} from './config.js';

/** A Config with the Kubernetes defaults (`NewDefaultConfig`); type `''` (etcd3) and no servers. */
export function newDefaultConfig(prefix: string, codec: Codec = jsonCodec): Config {
  return {
    type: '',
    prefix,
    transport: { serverList: [], keyFile: '', certFile: '', trustedCAFile: '' },
    codec,
    compactionIntervalMs: DEFAULT_COMPACTION_INTERVAL_MS,
    countMetricPollPeriodMs: 0,
    dbMetricPollIntervalMs: DEFAULT_DB_METRIC_POLL_INTERVAL_MS,
    eventsHistoryWindowMs: DEFAULT_EVENTS_HISTORY_WINDOW_MS,
    healthcheckTimeoutMs: DEFAULT_HEALTHCHECK_TIMEOUT_MS,
    readycheckTimeoutMs: DEFAULT_READYCHECK_TIMEOUT_MS,
    leaseManagerConfig: {
      reuseDurationSeconds: DEFAULT_LEASE_REUSE_DURATION_SECONDS,
      maxObjectCount: DEFAULT_LEASE_MAX_OBJECT_COUNT,
    },
  };
}

/** Binds a Config to a resource (Go's `Config.ForResource`). */
export function forResource(config: Config, groupResource: GroupResource, resourcePrefix?: string): ConfigForResource {
  return resourcePrefix === undefined ? { ...config, groupResource } : { ...config, groupResource, resourcePrefix };
}

/** The resource prefix a ConfigForResource implies: explicit, `/<group>/<resource>/`, or `/<resource>/`. */
export function resourcePrefixOf(config: ConfigForResource): string {
  if (config.resourcePrefix !== undefined) return config.resourcePrefix;
  const { group, resource } = config.groupResource;
  return group === '' ? `/${resource}/` : `/${group}/${resource}/`;
}
