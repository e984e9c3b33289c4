import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors/internal-error.js';
import { newDefaultConfig } from '../src/config/default-config.js';
import { lazyBuiltin } from '../src/registry/builtin-drivers.js';
import { DriverRegistry } from '../src/registry/driver-registry.js';
import { create, defaultRegistry } from '../src/registry/default-registry.js';
import type { ConfigForResource } from '../src/config/config.js';

const config = (type: string, overrides: Partial<ConfigForResource> = {}): ConfigForResource => {
  const base = newDefaultConfig('/registry');
  return {
    ...base,
    type,
    transport: { ...base.transport, serverList: ['x'] },
    groupResource: { group: '', resource: 'pods' },
    ...overrides,
  };
};

describe('DriverRegistry', () => {
  it('rejects etcd2 with the Kubernetes message', async () => {
    await expect(create(config('etcd2'))).rejects.toThrow('etcd2 is no longer a supported storage backend');
  });

  it('rejects an unknown type, naming it and the registered types, and never falls back', async () => {
    const err = await create(config('cassandra')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('UnknownStorageType');
    expect((err as Error).message).toBe('unknown storage type: cassandra (registered: etcd3, memory, sqlite, redis)');
  });

  it('a new registry starts empty', async () => {
    const registry = new DriverRegistry();
    expect(registry.types()).toEqual([]);
    await expect(registry.resolve('memory')).rejects.toThrow('unknown storage type: memory (no drivers registered)');
  });

  it("'' selects etcd3", async () => {
    const registry = new DriverRegistry().register({ type: 'etcd3', load: async () => ({ type: 'etcd3', createBackend: () => Promise.reject(new Error('unused')) }) });
    expect((await registry.resolve('')).type).toBe('etcd3');
  });

  it('names the package to install when a built-in driver is missing', async () => {
    // Every built-in package is installed in this workspace, so the test names one that is not.
    const registry = new DriverRegistry().register(
      lazyBuiltin({ type: 'nosuch', packageName: '@storagebackend/driver-nosuch', exportName: 'nosuchDriver' }),
    );
    const err = await registry.resolve('nosuch').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('DriverNotInstalled');
    expect((err as Error).message).toBe(
      'storage type "nosuch" needs the package @storagebackend/driver-nosuch, which is not installed ' +
        '(npm install @storagebackend/driver-nosuch)',
    );
  });

  it('loads a lazy driver once, only when selected', async () => {
    let loads = 0;
    const registry = new DriverRegistry().register({
      type: 'lazy',
      load: async () => {
        loads++;
        return { type: 'lazy', createBackend: () => Promise.reject(new Error('unused')) };
      },
    });
    expect(loads).toBe(0);
    await registry.resolve('lazy');
    await registry.resolve('lazy');
    expect(loads).toBe(1);
  });

  it.each([
    ['negative interval', { compactionIntervalMs: -1 }, /compactionIntervalMs/],
    ['no resource', { groupResource: { group: '', resource: '' } }, /groupResource.resource/],
    ['bad server entry', { transport: { serverList: [''], keyFile: '', certFile: '', trustedCAFile: '' } }, /serverList/],
    ['bad lease config', { leaseManagerConfig: { reuseDurationSeconds: -5, maxObjectCount: 1 } }, /reuseDurationSeconds/],
  ])('rejects a config with %s before connecting', async (_name, overrides, message) => {
    let created = 0;
    const registry = new DriverRegistry().register({
      type: 'probe',
      createBackend: () => {
        created++;
        return Promise.reject(new Error('must not be reached'));
      },
    });
    const err = await create(config('probe', overrides as Partial<ConfigForResource>), undefined, registry).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect(created).toBe(0);
  });
});
