import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBackendError } from '@storagebackend/core';
import { createRedisDriver, StoreEpochError, type RedisBackend } from '../src/index.js';
import { enc, freshKeyspace, redisConfig } from './helpers.js';
import { startRedis, type RedisServer } from '../src/testing/index.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

const driver = createRedisDriver();

async function expectEpochError(call: Promise<unknown>): Promise<void> {
  const err = await call.then(
    (value) => ({ message: `resolved ${JSON.stringify(value)}` }),
    (e: unknown) => e,
  );
  expect(err, String((err as Error)?.message ?? JSON.stringify(err))).toBeInstanceOf(StoreEpochError);
  expect(isBackendError(err, 'Corrupt')).toBe(true);
}

describe('a Redis that lost its data (FLUSHALL, restart without persistence)', () => {
  it('fails reads, writes, leases, compaction, status and watches with StoreEpochError instead of restarting revisions', async () => {
    const keyspace = freshKeyspace();
    const backend: RedisBackend = await driver.createBackend(redisConfig(server.url(), { keyspace }));
    try {
      const first = await backend.optimisticPut('/registry/pods/a', enc('one'), 0);
      await backend.optimisticPut('/registry/pods/b', enc('two'), 0);
      const watch = backend.watch('/registry/pods/', { prefix: true, startRevision: first.revision + 100 })[Symbol.asyncIterator]();
      const pending = watch.next();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await server.cli('FLUSHALL');
      // Another client starts afresh on the empty server: its revisions restart at 2.
      const other = await driver.createBackend(redisConfig(server.url(), { keyspace }));
      for (let i = 0; i < 150; i++) await other.optimisticPut(`/registry/pods/n${i}`, enc('x'), 0);
      await other.close();

      await expectEpochError(pending);
      await expectEpochError(backend.get('/registry/pods/a'));
      await expectEpochError(backend.get('/registry/pods/a', { revision: first.revision }));
      await expectEpochError(backend.list('/registry/pods/'));
      await expectEpochError(backend.count('/registry/pods/'));
      await expectEpochError(backend.optimisticPut('/registry/pods/c', enc('three'), 0));
      await expectEpochError(backend.optimisticDelete('/registry/pods/a', first.revision));
      await expectEpochError(backend.grantLease(10));
      await expectEpochError(backend.compact(first.revision));
      await expectEpochError(backend.status());
      await expectEpochError(backend.watch('/registry/pods/', { prefix: true, startRevision: 1 })[Symbol.asyncIterator]().next());
    } finally {
      await backend.close();
    }
  });

  it('a live watch ends with StoreEpochError after FLUSHALL, without events of the new store', async () => {
    const keyspace = freshKeyspace();
    const backend = await driver.createBackend(redisConfig(server.url(), { keyspace }));
    try {
      const { revision } = await backend.optimisticPut('/registry/pods/a', enc('one'), 0);
      const watch = backend.watch('/registry/pods/', { prefix: true, startRevision: revision + 1 })[Symbol.asyncIterator]();
      const pending = watch.next();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await server.cli('FLUSHALL');
      const other = await driver.createBackend(redisConfig(server.url(), { keyspace }));
      await other.optimisticPut('/registry/pods/x', enc('new'), 0);
      await other.optimisticPut('/registry/pods/y', enc('new'), 0);
      await other.close();
      await expectEpochError(pending);
    } finally {
      await backend.close();
    }
  });
});
