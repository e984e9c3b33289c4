import { describe, expect, it } from 'vitest';
import { ManualClock, createStore, isNotFound } from '@storagebackend/core';
import { openTemp } from './helpers.js';

describe('the Store on a SQLite backend with a ManualClock', () => {
  it("judges lease reuse on the driver's clock, so a lease that expired on it is never reused", async () => {
    const clock = new ManualClock();
    const t = await openTemp({ clock });
    try {
      expect(t.backend.clock).toBe(clock);
      const store = createStore({ backend: t.backend, prefix: '/registry', resourcePrefix: '/events/' });
      await store.create('/events/default/a', { metadata: { name: 'a' } }, { ttlSeconds: 100 });
      clock.advance(106_000);
      await expect(store.get('/events/default/a')).rejects.toSatisfy(isNotFound);
      await store.create('/events/default/b', { metadata: { name: 'b' } }, { ttlSeconds: 100 });
      clock.advance(100_000);
      await expect(store.get('/events/default/b')).resolves.toMatchObject({ metadata: { name: 'b' } });
      clock.advance(5_000);
      await expect(store.get('/events/default/b')).rejects.toSatisfy(isNotFound);
      await store.close();
    } finally {
      await t.close();
    }
  });
});
