import { ConfigFieldError } from './config-field-error.js';
import { selectionToPartial, mergeConfigLayers } from './merge-config.js';
import type { PartialConfig } from './partial-config.js';
import { parseBackendUrl } from './url/parse-backend-url.js';

/**
 * The environment variables the loader reads (empty means unset):
 * `STORAGECTL_BACKEND` (a backend URL), `STORAGECTL_CONFIG` (a config file), `STORAGECTL_PREFIX`,
 * `STORAGECTL_CACERT` / `STORAGECTL_CERT` / `STORAGECTL_KEY` (TLS files, as etcdctl's `ETCDCTL_*`), and
 * `STORAGECTL_COMPACTION_INTERVAL_MS`.
 */
export const CONFIG_ENV = {
  backend: 'STORAGECTL_BACKEND',
  config: 'STORAGECTL_CONFIG',
  prefix: 'STORAGECTL_PREFIX',
  trustedCAFile: 'STORAGECTL_CACERT',
  certFile: 'STORAGECTL_CERT',
  keyFile: 'STORAGECTL_KEY',
  compactionIntervalMs: 'STORAGECTL_COMPACTION_INTERVAL_MS',
} as const;

export type ConfigEnv = Readonly<Record<string, string | undefined>>;

const read = (env: ConfigEnv, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
};

/**
 * The partial config the environment gives (see {@link CONFIG_ENV}); `STORAGECTL_CONFIG` is read by `loadConfig`.
 *
 * @example
 * configFromEnv({ STORAGECTL_BACKEND: 'sqlite:./data.db', STORAGECTL_PREFIX: '/registry' });
 */
export function configFromEnv(env: ConfigEnv = process.env): PartialConfig {
  const backend = read(env, CONFIG_ENV.backend);
  const interval = read(env, CONFIG_ENV.compactionIntervalMs);
  let compactionIntervalMs: number | undefined;
  if (interval !== undefined) {
    compactionIntervalMs = /^\d+$/.test(interval) ? Number(interval) : NaN;
    if (!Number.isSafeInteger(compactionIntervalMs)) {
      throw new ConfigFieldError(CONFIG_ENV.compactionIntervalMs, 'must be a non-negative integer of milliseconds');
    }
  }
  return mergeConfigLayers([
    backend === undefined ? undefined : selectionToPartial(parseBackendUrl(backend, CONFIG_ENV.backend)),
    {
      prefix: read(env, CONFIG_ENV.prefix),
      transport: {
        trustedCAFile: read(env, CONFIG_ENV.trustedCAFile),
        certFile: read(env, CONFIG_ENV.certFile),
        keyFile: read(env, CONFIG_ENV.keyFile),
      },
      compactionIntervalMs,
    },
  ]);
}
