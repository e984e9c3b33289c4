import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, isBackendError } from '@storagebackend/core';
import { sqliteDriver } from '../src/index.js';
import { enc, openTemp, sqliteConfig, type Opened } from './helpers.js';

describe('request size limit (etcd --max-request-bytes)', () => {
  let t: Opened | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('a put over maxRequestBytes fails RequestTooLarge with etcd\'s text and writes nothing; one that fits is written', async () => {
    t = await openTemp({}, { maxRequestBytes: 1000 });
    const err = await t.backend.optimisticPut('/big', new Uint8Array(1000), 0).catch((e: unknown) => e);
    expect(isBackendError(err, 'RequestTooLarge')).toBe(true);
    expect((err as Error).message).toBe('etcdserver: request is too large');
    expect((await t.backend.status()).revision).toBe(1);
    expect((await t.backend.get('/big')).kv).toBeNull();
    expect((await t.backend.optimisticPut('/big', enc('x'.repeat(900)), 0)).revision).toBe(2);
  });

  it('rejects a maxRequestBytes that is not a positive integer', async () => {
    const err = await sqliteDriver.createBackend(sqliteConfig(':memory:', { maxRequestBytes: 0 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/'maxRequestBytes' must be/);
  });
});
