import { jsonCodec } from '../codec/json-codec.js';
import type { Config, ConfigForResource } from './config.js';
import { ConfigFieldError } from './config-field-error.js';
import { newDefaultConfig } from './default-config.js';
import type { PartialConfig, PartialConfigForResource } from './partial-config.js';

/** The prefix used when a partial config names none (kube-apiserver's `--etcd-prefix` default). */
export const DEFAULT_PREFIX = '/registry';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The defined entries only, so `{ keyFile: undefined }` means "absent", not "undefined". */
function defined<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Fills a partial config with the Kubernetes defaults of `newDefaultConfig` (prefix `/registry`, JSON codec).
 * Fields present are kept as given (`validateConfig` judges them); absent ones take their default.
 *
 * @example
 * const config = completeConfig({ type: 'sqlite', transport: { serverList: ['./data.db'] } });
 * config.compactionIntervalMs; // 300000
 */
export function completeConfig(partial: PartialConfigForResource): ConfigForResource;
export function completeConfig(partial: PartialConfig): Config;
export function completeConfig(partial: PartialConfig | PartialConfigForResource): Config | ConfigForResource {
  if (!isObject(partial)) throw new ConfigFieldError('config', 'must be an object');
  if (partial.transport !== undefined && !isObject(partial.transport)) throw new ConfigFieldError('transport', 'must be an object');
  if (partial.leaseManagerConfig !== undefined && !isObject(partial.leaseManagerConfig)) {
    throw new ConfigFieldError('leaseManagerConfig', 'must be an object');
  }
  const given = defined(partial);
  const base = newDefaultConfig(given.prefix ?? DEFAULT_PREFIX, given.codec ?? jsonCodec);
  return {
    ...base,
    ...given,
    transport: { ...base.transport, ...defined(partial.transport) },
    leaseManagerConfig: { ...base.leaseManagerConfig, ...defined(partial.leaseManagerConfig) },
  } as Config;
}
