import { readFile } from 'node:fs/promises';
import { validateBaseConfig } from '../registry/validate-config.js';
import type { Config } from './config.js';
import { ConfigFieldError } from './config-field-error.js';
import { completeConfig } from './complete-config.js';
import { parseConfigText } from './config-document.js';
import { CONFIG_ENV, configFromEnv, type ConfigEnv } from './config-from-env.js';
import { mergeConfigLayers, selectionToPartial } from './merge-config.js';
import type { PartialConfig } from './partial-config.js';
import { parseBackendUrl } from './url/parse-backend-url.js';

/**
 * Where {@link loadConfig} looks; later sources win: defaults < file < environment < `url` < `overrides`.
 *
 * @example
 * const options: LoadConfigOptions = { url: process.argv[2], defaultUrl: 'sqlite:./app.db' };
 */
export interface LoadConfigOptions {
  /** A backend URL (e.g. a `--backend` flag); wins over the file's and the environment's. */
  readonly url?: string | undefined;
  /** The field a bad `url` is reported as; default `url`. */
  readonly urlField?: string;
  /** A YAML/JSON config file; default `$STORAGECTL_CONFIG`. */
  readonly file?: string | undefined;
  /** Default `process.env`; pass `{}` to ignore the environment. */
  readonly env?: ConfigEnv;
  /** Fields that win over every source (e.g. flags). */
  readonly overrides?: PartialConfig;
  /** The backend when no source names one; without it, naming none is an error. */
  readonly defaultUrl?: string;
}

/** Reads a YAML/JSON config file into a partial config; errors name the file and field. */
export async function loadConfigFile(path: string): Promise<PartialConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new ConfigFieldError('file', `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`, err);
  }
  return parseConfigText(text, path);
}

const namesBackend = (p: PartialConfig | undefined) => p?.type !== undefined || p?.transport?.serverList !== undefined;

/**
 * The one config loader of apps and storagectl: a Config from a URL, a YAML/JSON file and `STORAGECTL_*`
 * environment variables over `newDefaultConfig`'s defaults, validated, with errors naming the bad field.
 *
 * @example
 * const config = await loadConfig({ url: 'sqlite:./data.db', overrides: { compactionIntervalMs: 0 } });
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  const env = options.env ?? process.env;
  const filePath = options.file ?? (env[CONFIG_ENV.config] || undefined);
  const fromFile = filePath === undefined ? undefined : await loadConfigFile(filePath);
  const fromEnv = configFromEnv(env);
  const fromUrl = options.url === undefined ? undefined : selectionToPartial(parseBackendUrl(options.url, options.urlField ?? 'url'));
  const layers = [fromFile, fromEnv, fromUrl, options.overrides];
  if (!layers.some(namesBackend)) {
    if (options.defaultUrl === undefined) {
      throw new ConfigFieldError('backend', `none configured: give a URL, a config file or ${CONFIG_ENV.backend}`);
    }
    layers.unshift(selectionToPartial(parseBackendUrl(options.defaultUrl, 'defaultUrl')));
  }
  const config = completeConfig(mergeConfigLayers(layers));
  validateBaseConfig(config);
  return config;
}
