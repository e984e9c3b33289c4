import { describe, expect, it } from 'vitest';
import { create, DriverRegistry, isNotFound, ManualClock, newDefaultConfig, type ConfigForResource } from '@storagebackend/core';
import { createMemoryDriver } from '../src/index.js';

function config(name: string): ConfigForResource {
  const base = newDefaultConfig('/registry');
  return {
    ...base,
    type: 'memory',
    compactionIntervalMs: 0,
    transport: { ...base.transport, serverList: [name] },
    groupResource: { group: '', resource: 'events' },
  };
}

describe('a user test suite on the memory driver with a ManualClock', () => {
  it('expires a TTL without sleeping, with a DELETED watch event', async () => {
    const clock = new ManualClock();
    const registry = new DriverRegistry().register(createMemoryDriver({ clock }));
    const { storage, destroy } = await create(config(`ttl-${Date.now()}`), undefined, registry);
    try {
      const created = await storage.create('/events/default/e1', { metadata: { name: 'e1' } }, { ttlSeconds: 3600 });
      const watch = await storage.watch('/events/default/e1', { resourceVersion: created.metadata.resourceVersion });

      clock.advance(3599_000);
      expect((await storage.get('/events/default/e1')).metadata.name).toBe('e1');

      // Past the TTL plus the lease-reuse window (5% of the TTL, capped at 60s): gone, synchronously.
      clock.advance(61_000 + 180_000);
      await expect(storage.get('/events/default/e1')).rejects.toSatisfy(isNotFound);

      const first = await watch[Symbol.asyncIterator]().next();
      expect(first.value).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'e1' } } });
      watch.stop();
    } finally {
      await destroy();
    }
  });

  it('reuses one lease for objects created close together, judged on the same clock', async () => {
    const clock = new ManualClock();
    const registry = new DriverRegistry().register(createMemoryDriver({ clock }));
    const { storage, destroy } = await create(config(`reuse-${Date.now()}`), undefined, registry);
    try {
      await storage.create('/events/default/a', { metadata: { name: 'a' } }, { ttlSeconds: 100 });
      clock.advance(2_000);
      await storage.create('/events/default/b', { metadata: { name: 'b' } }, { ttlSeconds: 100 });
      // Both share a lease granted for 100 + 5 seconds at t=0; b lives 103s, never less than its 100s.
      clock.advance(101_000);
      await expect(storage.get('/events/default/b')).resolves.toBeTruthy();
      clock.advance(3_000);
      await expect(storage.get('/events/default/a')).rejects.toSatisfy(isNotFound);
      await expect(storage.get('/events/default/b')).rejects.toSatisfy(isNotFound);
    } finally {
      await destroy();
    }
  });
});
