import type { ConfigForResource, Driver } from '@storagebackend/core';
import { parseEndpoint } from './endpoint.js';
import { RedisEngine } from './engine.js';
import { DEFAULT_SETTINGS, parseSettings, type RedisSettings } from './options.js';
import { RedisBackend } from './redis-backend.js';

/**
 * The Redis driver: `createBackend` resolves to a {@link RedisBackend}.
 *
 * @example
 * const driver: RedisDriver = createRedisDriver({ progressNotifyIntervalMs: 1000 });
 * const backend = await driver.createBackend(config);
 */
export interface RedisDriver extends Driver {
  readonly type: 'redis';
  createBackend(config: ConfigForResource): Promise<RedisBackend>;
}

/**
 * Creates a Redis driver with default settings for its backends (`config.driverOptions` overrides them per backend).
 * Each backend has its own two connections (commands, and the blocking stream read of its watches).
 *
 * @example
 * const driver = createRedisDriver({ keyspace: 'prod-a' });
 * const backend = await driver.createBackend({ ...config, transport: { ...config.transport, serverList: ['redis://127.0.0.1:6379'] } });
 */
export function createRedisDriver(options?: Partial<RedisSettings>): RedisDriver {
  const defaults = parseSettings('driver', options, DEFAULT_SETTINGS);
  return {
    type: 'redis',
    async createBackend(config: ConfigForResource): Promise<RedisBackend> {
      const endpoint = parseEndpoint(config?.transport);
      const settings = parseSettings('config.driverOptions', config.driverOptions, defaults);
      return new RedisBackend(await RedisEngine.open(endpoint, settings));
    },
  };
}

/**
 * The default Redis driver (`type: 'redis'`); `serverList[0]` is `redis://[user:password@]host:port[/db]` or `rediss://…`.
 *
 * @example
 * registry.register(redisDriver);
 */
export const redisDriver: RedisDriver = createRedisDriver();
