import { describe, expect, it } from 'vitest';
import { create, isUnreachable, newDefaultConfig, type ConfigForResource } from '@storagebackend/core';

function config(overrides: Partial<ConfigForResource> = {}): ConfigForResource {
  const base = newDefaultConfig('/registry');
  return {
    ...base,
    type: 'memory',
    transport: { ...base.transport, serverList: [`create-${Date.now()}-${Math.random()}`] },
    groupResource: { group: 'apps', resource: 'deployments' },
    ...overrides,
  };
}

describe('create(config) through the default registry', () => {
  it('uses /<group>/<resource>/ as the resource prefix and destroy is idempotent', async () => {
    const { storage, destroy } = await create(config());
    const obj = await storage.create('/apps/deployments/ns/web', { metadata: { name: 'web' } });
    expect(obj.metadata.resourceVersion).toBe('2');
    await expect(storage.create('/deployments/ns/web', { metadata: {} })).rejects.toThrow('lacks resource prefix');
    await Promise.all([destroy(), destroy()]);
    await destroy();
    // A destroyed storage refuses work with a typed error instead of hanging or reviving the backend.
    await expect(storage.get('/apps/deployments/ns/web')).rejects.toSatisfy(isUnreachable);
  });

  it('stores created with the same memory name share one revision sequence', async () => {
    const shared = `shared-${Date.now()}`;
    const base = config();
    const pods = await create({ ...base, transport: { ...base.transport, serverList: [shared] }, groupResource: { group: '', resource: 'pods' } });
    const nodes = await create({ ...base, transport: { ...base.transport, serverList: [shared] }, groupResource: { group: '', resource: 'nodes' } });
    try {
      const a = await pods.storage.create('/pods/ns/a', { metadata: { name: 'a' } });
      const b = await nodes.storage.create('/nodes/n1', { metadata: { name: 'n1' } });
      expect(Number(b.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
      expect(await pods.storage.getCurrentResourceVersion()).toBe(Number(b.metadata.resourceVersion));
    } finally {
      await pods.destroy();
      await nodes.destroy();
    }
  });

  it('starts the shared compactor with compactionIntervalMs and stops it on destroy', async () => {
    const { storage, destroy } = await create(config({ compactionIntervalMs: 50 }));
    try {
      for (let i = 0; i < 3; i++) await storage.create(`/apps/deployments/ns/d${i}`, { metadata: { name: `d${i}` } });
      const deadline = Date.now() + 5000;
      while (storage.compactRevision() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(storage.compactRevision()).toBeGreaterThan(0);
    } finally {
      await destroy();
    }
  });
});
