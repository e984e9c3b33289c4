import { validateBaseConfig } from '../registry/validate-config.js';
import type { Config } from './config.js';
import { ConfigFieldError } from './config-field-error.js';
import { completeConfig } from './complete-config.js';
import { mergeConfigLayers, selectionToPartial } from './merge-config.js';
import type { PartialConfig } from './partial-config.js';
import { parseBackendUrl } from './url/parse-backend-url.js';

/**
 * A Config for the backend a URL names, over `newDefaultConfig`'s Kubernetes defaults (prefix `/registry`);
 * `overrides` set any other field. Bad URLs and fields throw a {@link ConfigFieldError} naming them.
 *
 * URLs: `memory:` (a private store, shared by every storage created from this Config), `memory:NAME` (shared by
 * name in the process), `sqlite:./data.db`, `sqlite:/abs/path.db`, `sqlite:///abs/path.db`, `sqlite::memory:`,
 * `etcd3://h1:2379,h2:2379`, `http(s)://h:2379[,…]`, `redis://[user:pass@]host:port[/db]`, `rediss://…`,
 * `redis+cluster://h1:p1,h2:p2`, `rediss+cluster://…`, `redis+sentinel://h1:p1,h2:p2/<master-name>[/db]`.
 *
 * @example
 * const config = configFromUrl('sqlite:./data.db', { prefix: '/registry', compactionIntervalMs: 0 });
 * const { storage } = await create(forResource(config, { group: '', resource: 'pods' }));
 */
export function configFromUrl(url: string, overrides: PartialConfig = {}): Config {
  return configFromUrlAs(url, 'url', overrides);
}

/** {@link configFromUrl} with the field its errors name (e.g. `STORAGECTL_BACKEND`, `--backend`). */
export function configFromUrlAs(url: string, field: string, overrides: PartialConfig = {}): Config {
  const selection = parseBackendUrl(url, field);
  if (overrides.type !== undefined && overrides.type !== selection.type) {
    throw new ConfigFieldError('type', `${JSON.stringify(overrides.type)} conflicts with the ${selection.type} URL`);
  }
  if (overrides.transport?.serverList !== undefined) {
    throw new ConfigFieldError('transport.serverList', 'is given by the URL; set one or the other');
  }
  const options: unknown = overrides.driverOptions;
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new ConfigFieldError('driverOptions', 'must be an object');
  }
  const config = completeConfig(mergeConfigLayers([selectionToPartial(selection), { ...overrides, type: undefined }]));
  validateBaseConfig(config);
  return config;
}
