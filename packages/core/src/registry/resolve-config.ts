import type { Config, ConfigForResource } from '../config/config.js';
import { completeConfig } from '../config/complete-config.js';
import type { PartialConfig, PartialConfigForResource } from '../config/partial-config.js';
import { privateMemoryName } from '../config/url/memory-url.js';

/**
 * What `create()` and the health functions run with: the partial config completed with the defaults, and an empty
 * memory `serverList` turned into a private store of its own.
 */
export function resolveConfig(partial: PartialConfigForResource): ConfigForResource;
export function resolveConfig(partial: PartialConfig): Config;
export function resolveConfig(partial: PartialConfig): Config {
  const config = completeConfig(partial);
  if (config.type === 'memory' && Array.isArray(config.transport.serverList) && config.transport.serverList.length === 0) {
    return { ...config, transport: { ...config.transport, serverList: [privateMemoryName()] } };
  }
  return config;
}
