import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { bytes, currentRevision, expectBackendError, openBackend, put, uniquePrefix } from './support.js';
import { startWatch } from './watch-collector.js';

const UNKNOWN_LEASE = '7239847239847';

/**
 * Leases: attach and detach, revoke and expiry deleting every attached key in one revision with ordinary delete
 * events, LeaseNotFound. Applies when `capabilities.leases`; otherwise grantLease must refuse.
 *
 * @example
 * describe('my driver', () => backendLeaseTests({ name: 'mine', createBackend, leaseExpirySlackSeconds: 3 }));
 */
export function backendLeaseTests(target: ConformanceTarget): void {
  const slack = target.leaseExpirySlackSeconds ?? 5;

  describe('leases', () => {
    it('a backend without leases refuses grantLease instead of handing out a lease that never expires', async (ctx) => {
      const backend = await target.createBackend();
      let refused: unknown;
      try {
        if (backend.capabilities.leases) return ctx.skip('backend declares capabilities.leases');
        await backend.grantLease(1).catch((err: unknown) => (refused = err));
      } finally {
        await backend.close();
      }
      expect((refused as { name?: string } | undefined)?.name, 'grantLease should reject with a BackendError').toBe('BackendError');
    });

    it('put with a lease attaches it; put without one detaches it', async (ctx) => {
      const backend = await openBackend(target, ctx, 'leases');
      const p = uniquePrefix('lease');
      const lease = await backend.grantLease(60);
      expect(lease.id).toMatch(/^[1-9][0-9]*$/);
      expect(lease.ttlSeconds).toBeGreaterThanOrEqual(60);
      const r1 = await put(backend, `${p}a`, '1', lease.id);
      expect((await backend.get(`${p}a`)).kv?.lease).toBe(lease.id);
      await put(backend, `${p}b`, '1', lease.id);
      await put(backend, `${p}a`, '2');
      expect((await backend.get(`${p}a`)).kv?.lease, 'a put without leaseId detaches').toBe('0');
      expect((await backend.get(`${p}a`, { revision: r1 })).kv?.lease, 'history keeps the old lease').toBe(lease.id);

      await backend.revokeLease(lease.id);
      expect((await backend.get(`${p}a`)).kv, 'the detached key survives the revoke').not.toBeNull();
      expect((await backend.get(`${p}b`)).kv, 'the attached key is deleted').toBeNull();
    });

    it('revoke deletes every attached key in one revision, with delete events in one response', async (ctx) => {
      const backend = await openBackend(target, ctx, 'leases');
      const p = uniquePrefix('lease');
      const lease = await backend.grantLease(60);
      const keys = [`${p}a`, `${p}b`, `${p}c/d`];
      for (const key of keys) await put(backend, key, 'v', lease.id);
      await put(backend, `${p}z`, 'unleased');
      const before = await currentRevision(backend);
      const watch = startWatch(ctx, backend, p, { prefix: true, startRevision: before + 1, prevKv: true });

      await backend.revokeLease(lease.id);
      expect(await currentRevision(backend), 'a revoke takes exactly one revision').toBe(before + 1);
      await watch.waitForEvents(3);
      expect(watch.events.map((e) => [e.type, e.kv.key, e.kv.modRevision])).toEqual(
        keys.map((key) => ['delete', key, before + 1]),
      );
      expect(watch.events.every((e) => e.prevKv?.lease === lease.id), 'prevKv shows the lease').toBe(true);
      expect(watch.responses.filter((r) => r.events.length > 0), 'one revision, one response').toHaveLength(1);
      expect(await backend.count(p)).toBe(1);
      await expectBackendError(backend.revokeLease(lease.id), 'LeaseNotFound', 'revoking a revoked lease');
    });

    it('revoking a lease with no keys takes no revision', async (ctx) => {
      const backend = await openBackend(target, ctx, 'leases');
      await put(backend, `${uniquePrefix('lease')}a`, '1');
      const lease = await backend.grantLease(60);
      const before = await currentRevision(backend);
      await backend.revokeLease(lease.id);
      expect(await currentRevision(backend)).toBe(before);
    });

    it('an unknown lease fails with LeaseNotFound and writes nothing', async (ctx) => {
      const backend = await openBackend(target, ctx, 'leases');
      const p = uniquePrefix('lease');
      const before = await put(backend, `${p}other`, '1');
      await expectBackendError(backend.revokeLease(UNKNOWN_LEASE), 'LeaseNotFound', 'revokeLease(unknown)');
      await expectBackendError(
        backend.optimisticPut(`${p}a`, bytes('x'), 0, { leaseId: UNKNOWN_LEASE }),
        'LeaseNotFound',
        'put with an unknown lease',
      );
      expect((await backend.get(`${p}a`)).kv).toBeNull();
      expect(await currentRevision(backend)).toBe(before);
    });

    it(`expiry deletes every attached key in one revision within ttl + slack`, { timeout: (slack + 3) * 1000 + 15_000 }, async (ctx) => {
      const backend = await openBackend(target, ctx, 'leases');
      const p = uniquePrefix('lease');
      const lease = await backend.grantLease(1);
      const granted = Date.now();
      await put(backend, `${p}a`, 'v', lease.id);
      await put(backend, `${p}b`, 'v', lease.id);
      await put(backend, `${p}keep`, 'v');
      const start = (await currentRevision(backend)) + 1;
      expect(await backend.count(p), 'keys exist right after the grant').toBe(3);
      const watch = startWatch(ctx, backend, p, { prefix: true, startRevision: start });

      const deadline = (Math.max(1, lease.ttlSeconds) + slack) * 1000;
      await watch.waitFor((c) => c.events.length >= 2, deadline + 500, `expiry of a ${lease.ttlSeconds}s lease`);
      const elapsed = Date.now() - granted;
      expect(elapsed, 'expiry within ttl + leaseExpirySlackSeconds').toBeLessThanOrEqual(deadline + 500);
      expect(watch.events.map((e) => [e.type, e.kv.key, e.kv.modRevision])).toEqual([
        ['delete', `${p}a`, start],
        ['delete', `${p}b`, start],
      ]);
      expect(await backend.count(p)).toBe(1);
      expect(await currentRevision(backend), 'expiry took exactly one revision').toBe(start);
      await expectBackendError(backend.revokeLease(lease.id), 'LeaseNotFound', 'revoking an expired lease');
    });
  });
}
