import { describe, expect, it } from 'vitest';
import { memoryDriver } from '../../driver-memory/src/index.js';
import { configFromUrl } from '../src/config/config-from-url.js';
import { ConfigFieldError } from '../src/config/config-field-error.js';
import { forResource } from '../src/config/default-config.js';
import { DriverRegistry } from '../src/registry/driver-registry.js';

const pods = { group: '', resource: 'pods' };
const registry = new DriverRegistry().register(memoryDriver);

describe('create() with partial configs', () => {
  it('fills the defaults: only type and groupResource given', async () => {
    const { storage, destroy } = await registry.create({ type: 'memory', transport: { serverList: ['partial-1'] }, groupResource: pods });
    try {
      const created = await storage.create('/pods/default/a', { metadata: { name: 'a' } });
      expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);
    } finally {
      await destroy();
    }
  });

  it('an empty memory serverList is a private store: two creates share nothing', async () => {
    const a = await registry.create({ type: 'memory', groupResource: pods });
    const b = await registry.create({ type: 'memory', transport: { serverList: [] }, groupResource: pods });
    try {
      await a.storage.create('/pods/default/only-in-a', { metadata: { name: 'only-in-a' } });
      const list = await b.storage.getList('/pods/', { recursive: true });
      expect(list.items).toEqual([]);
    } finally {
      await a.destroy();
      await b.destroy();
    }
  });

  it('memory: from a URL is one private store for every resource created from that Config', async () => {
    const config = configFromUrl('memory:', { compactionIntervalMs: 0 });
    const p = await registry.create(forResource(config, pods));
    const s = await registry.create(forResource(config, { group: '', resource: 'services' }));
    const other = await registry.create(forResource(configFromUrl('memory:'), pods));
    try {
      const pod = await p.storage.create('/pods/default/a', { metadata: { name: 'a' } });
      const svc = await s.storage.create('/services/default/a', { metadata: { name: 'a' } });
      // One revision sequence, as with one etcd.
      expect(Number(svc.metadata.resourceVersion)).toBe(Number(pod.metadata.resourceVersion) + 1);
      expect((await other.storage.getList('/pods/', { recursive: true })).items).toEqual([]);
    } finally {
      await Promise.all([p.destroy(), s.destroy(), other.destroy()]);
    }
  });

  it.each([
    ['compactionIntervalMs', { compactionIntervalMs: -5 }],
    ['transport.serverList', { transport: { serverList: [''] } }],
    ['transport.certFile', { transport: { serverList: ['x'], certFile: null as unknown as string } }],
    ['leaseManagerConfig.maxObjectCount', { leaseManagerConfig: { maxObjectCount: 0.5 } }],
    ['resourcePrefix', { resourcePrefix: 'pods' }],
  ])('a bad %s is a ConfigFieldError naming it, before anything is opened', async (field, partial) => {
    const err = await registry.create({ type: 'memory', groupResource: pods, ...partial }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigFieldError);
    expect((err as ConfigFieldError).field).toBe(field);
  });

  it('registry.create uses that registry only', async () => {
    const err = await new DriverRegistry().create({ type: 'memory', groupResource: pods }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('unknown storage type: memory (no drivers registered)');
  });
});
