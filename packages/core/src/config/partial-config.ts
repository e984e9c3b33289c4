import type { Config, ConfigForResource, GroupResource, LeaseManagerConfig, TransportConfig } from './config.js';

/**
 * A Config with every field optional: what apps, files and URLs give; {@link completeConfig} fills the Kubernetes
 * defaults (`newDefaultConfig`). Absent TLS file fields mean none; absent durations take their defaults.
 *
 * @example
 * const partial: PartialConfig = { type: 'sqlite', transport: { serverList: ['./data.db'] } };
 */
export type PartialConfig = {
  -readonly [K in Exclude<keyof Config, 'transport' | 'leaseManagerConfig'>]?: Config[K];
} & {
  transport?: Partial<TransportConfig>;
  leaseManagerConfig?: Partial<LeaseManagerConfig>;
};

/**
 * A partial Config bound to one resource: what `create()` accepts.
 *
 * @example
 * await create({ type: 'memory', groupResource: { group: '', resource: 'pods' } }); // a private memory store
 */
export type PartialConfigForResource = PartialConfig & {
  groupResource: GroupResource;
  resourcePrefix?: string;
};

export type { Config, ConfigForResource };
