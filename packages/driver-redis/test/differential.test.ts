import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendOperationsArbitrary, runOperations } from '@storagebackend/conformance';
import { forResource, newDefaultConfig } from '@storagebackend/core';
import { createMemoryDriver } from '@storagebackend/driver-memory';
import { createRedisDriver } from '../src/index.js';
import { freshKeyspace, redisConfig } from './helpers.js';
import { startRedis, type RedisServer } from '../src/testing/index.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

describe('differential: redis vs memory driver', () => {
  it('random operation sequences give identical results', async () => {
    // A small page budget makes lists and compaction span several scripts, the paths a big store takes.
    const driver = createRedisDriver({ pageBudget: 2 });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(backendOperationsArbitrary(), async (ops) => {
        run++;
        const redis = await driver.createBackend(redisConfig(server.url(), { keyspace: freshKeyspace() }));
        const base = newDefaultConfig('/registry');
        const memory = await createMemoryDriver().createBackend(
          forResource({ ...base, type: 'memory', transport: { ...base.transport, serverList: [`diff-${run}`] } }, { group: '', resource: 'pods' }),
        );
        try {
          const keyPrefix = '/diff/';
          const [a, b] = [await runOperations(redis, ops, { keyPrefix }), await runOperations(memory, ops, { keyPrefix })];
          expect(a).toEqual(b);
        } finally {
          await redis.close();
          await memory.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
