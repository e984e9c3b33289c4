import { fileURLToPath } from 'node:url';
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
    expect(options.endpoints.map((e) => e.address)).toEqual(['127.0.0.1:2379', '127.0.0.1:22379', '[::1]:32379']);
    expect(options.endpoints.map((e) => e.secure)).toEqual([false, false, false]);
    expect(options.tls).toBeUndefined();
    expect(options.requestTimeoutMs).toBe(10_000);
    expect(options.watchReconnectBudgetMs).toBe(60_000);
    expect(resolveClientOptions(configFor('https://127.0.0.1:2379')).endpoints[0]?.secure).toBe(true);
  });

  it('decides TLS per endpoint like etcd\'s Go client, and allows mixed schemes', () => {
    const ca = fileURLToPath(new URL('./config.test.ts', import.meta.url)); // any readable file: only read here
    const withCa = resolveClientOptions(
      configFor(['https://127.0.0.1:1', 'http://127.0.0.1:2', '127.0.0.1:3'], { transport: { trustedCAFile: ca } }),
    );
    expect(withCa.endpoints.map((e) => e.secure)).toEqual([true, false, true]);
    const withoutFiles = resolveClientOptions(configFor(['https://127.0.0.1:1', 'http://127.0.0.1:2', '127.0.0.1:3']));
    expect(withoutFiles.endpoints.map((e) => e.secure)).toEqual([true, false, false]);
  });

  it('rejects unusable server lists', async () => {
    await configError(etcd3Driver.createBackend(configFor([])));
    const bad = await configError(etcd3Driver.createBackend(configFor('127.0.0.1')));
    expect(bad.message).toContain('"127.0.0.1"');
    await configError(etcd3Driver.createBackend(configFor('http://127.0.0.1:99999')));
  });

  it('validates driver options', async () => {
    const options = resolveClientOptions(configFor('http://127.0.0.1:2379', { driverOptions: { requestTimeoutMs: 250 } }));
    expect(options.requestTimeoutMs).toBe(250);
    const unknown = await configError(etcd3Driver.createBackend(configFor('http://127.0.0.1:2379', { driverOptions: { synchronous: 'FULL' } })));
    expect(unknown.message).toContain('synchronous');
    await configError(etcd3Driver.createBackend(configFor('http://127.0.0.1:2379', { driverOptions: { requestTimeoutMs: 0 } })));
    await configError(etcd3Driver.createBackend(configFor('http://127.0.0.1:2379', { driverOptions: { keepaliveTimeMs: 1000 } })));
    for (const bad of [0, -5, 1.5, '60000']) {
      const err = await configError(etcd3Driver.createBackend(configFor('http://127.0.0.1:2379', { driverOptions: { watchReconnectBudgetMs: bad } })));
      expect(err.message).toContain('watchReconnectBudgetMs');
    }
  });
});
