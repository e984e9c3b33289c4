import { ConfigError } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import { etcd3Driver } from '../src/index.js';
import { resolveClientOptions } from '../src/options.js';
import { configFor } from './helpers.js';

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).code).toBe('InvalidConfig');
  return err as ConfigError;
}

describe('configuration', () => {
  it('is the etcd3 driver', () => {
    expect(etcd3Driver.type).toBe('etcd3');
  });

  it('accepts several endpoints and strips their scheme', () => {
    const options = resolveClientOptions(configFor(['http://127.0.0.1:2379', '127.0.0.1:22379', 'http://[::1]:32379/']));
    expect(options.endpoints).toEqual(['127.0.0.1:2379', '127.0.0.1:22379', '[::1]:32379']);
    expect(options.secure).toBe(false);
    expect(options.tls).toBeUndefined();
    expect(options.requestTimeoutMs).toBe(10_000);
    expect(resolveClientOptions(configFor('https://127.0.0.1:2379')).secure).toBe(true);
  });

  it('rejects unusable server lists', async () => {
    await configError(etcd3Driver.createBackend(configFor([])));
    const bad = await configError(etcd3Driver.createBackend(configFor('127.0.0.1')));
    expect(bad.message).toContain('"127.0.0.1"');
    await configError(etcd3Driver.createBackend(configFor('http://127.0.0.1:99999')));
    await configError(etcd3Driver.createBackend(configFor(['http://127.0.0.1:1', 'https://127.0.0.1:2'])));
  });

  it('validates driver options', async () => {
    const options = resolveClientOptions(configFor('http://127.0.0.1:2379', { driverOptions: { requestTimeoutMs: 250 } }));
    expect(options.requestTimeoutMs).toBe(250);
    const unknown = await configError(etcd3Driver.createBackend(configFor('http://127.0.0.1:2379', { driverOptions: { synchronous: 'FULL' } })));
    expect(unknown.message).toContain('synchronous');
    await configError(etcd3Driver.createBackend(configFor('http://127.0.0.1:2379', { driverOptions: { requestTimeoutMs: 0 } })));
    await configError(etcd3Driver.createBackend(configFor('http://127.0.0.1:2379', { driverOptions: { keepaliveTimeMs: 1000 } })));
  });
});
