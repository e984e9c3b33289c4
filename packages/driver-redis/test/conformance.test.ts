import { afterAll, beforeAll } from 'vitest';
import { runConformance } from '@storagebackend/conformance';
import { createRedisDriver } from '../src/index.js';
import { freshKeyspace, redisConfig } from './helpers.js';
import { startRedis, type RedisServer } from '../src/testing/index.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

const driver = createRedisDriver({ progressNotifyIntervalMs: 200, leaseSweepIntervalMs: 100 });

runConformance({
  name: 'redis (real redis-server)',
  // Every backend gets its own keyspace (hash tag) on the file's server: empty and isolated.
  createBackend: () => driver.createBackend(redisConfig(server.url(), { keyspace: freshKeyspace() })),
  progressNotifyWithinMs: 1000,
  leaseExpirySlackSeconds: 2,
});
