import { isBackendError } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3Backend } from '../src/backend.js';
import { startEtcd, type EtcdServer } from '../src/testing/index.js';
import { WatchReader, backendFor, enc } from './helpers.js';

let etcd: EtcdServer;
let backend: Etcd3Backend;

beforeAll(async () => {
  // A shorter election timeout lowers etcd's minimum lease TTL (1.5 election timeouts, rounded up to seconds).
  etcd = await startEtcd({ heartbeatIntervalMs: 50, electionTimeoutMs: 500 });
  backend = await backendFor(etcd.endpoint);
});

afterAll(async () => {
  await backend?.close();
  await etcd?.stop();
});

describe('leases', () => {
  it('grants a lease with at least the requested TTL and attaches it to keys', async () => {
    const lease = await backend.grantLease(30);
    expect(lease.id).toMatch(/^\d+$/);
    expect(lease.ttlSeconds).toBeGreaterThanOrEqual(30);
    await backend.optimisticPut('/registry/leases/a', enc('a'), 0, { leaseId: lease.id });
    expect((await backend.get('/registry/leases/a')).kv?.lease).toBe(lease.id);
  });

  it('expires a lease and deletes all its keys in one revision, seen as delete events', async () => {
    const lease = await backend.grantLease(1);
    expect(lease.ttlSeconds).toBeGreaterThanOrEqual(1);
    const start = (await backend.get('/registry/x')).revision + 1;
    await backend.optimisticPut('/registry/expire/a', enc('a'), 0, { leaseId: lease.id });
    await backend.optimisticPut('/registry/expire/b', enc('b'), 0, { leaseId: lease.id });
    const reader = new WatchReader(backend.watch('/registry/expire/', { prefix: true, startRevision: start }));
    await reader.collect(2);
    const gone = await reader.nextEvents((lease.ttlSeconds + 5) * 1000);
    expect(gone.events.map((e) => [e.type, e.kv.key])).toEqual([
      ['delete', '/registry/expire/a'],
      ['delete', '/registry/expire/b'],
    ]);
    expect(gone.events[1]!.kv.modRevision).toBe(gone.events[0]!.kv.modRevision);
    expect(await backend.count('/registry/expire/')).toBe(0);
    await reader.close();
  }, 20_000);

  it('revokes a lease, deleting its keys in one new revision', async () => {
    const lease = await backend.grantLease(60);
    await backend.optimisticPut('/registry/revoke/a', enc('a'), 0, { leaseId: lease.id });
    const { revision } = await backend.optimisticPut('/registry/revoke/b', enc('b'), 0, { leaseId: lease.id });
    await backend.revokeLease(lease.id);
    expect(await backend.count('/registry/revoke/')).toBe(0);
    expect((await backend.get('/registry/x')).revision).toBe(revision + 1);
  });

  it('revoking an unknown or already revoked lease fails with LeaseNotFound', async () => {
    const lease = await backend.grantLease(60);
    await backend.revokeLease(lease.id);
    expect(isBackendError(await backend.revokeLease(lease.id).catch((e: unknown) => e), 'LeaseNotFound')).toBe(true);
    expect(isBackendError(await backend.revokeLease('987654321').catch((e: unknown) => e), 'LeaseNotFound')).toBe(true);
    const { revision } = await backend.get('/registry/x');
    await backend.revokeLease('987654321').catch(() => undefined);
    expect((await backend.get('/registry/x')).revision).toBe(revision);
  });

  it('a put without a lease detaches the previous lease (etcd semantics)', async () => {
    const lease = await backend.grantLease(60);
    const key = '/registry/detach/a';
    const { revision } = await backend.optimisticPut(key, enc('a'), 0, { leaseId: lease.id });
    await backend.optimisticPut(key, enc('b'), revision);
    expect((await backend.get(key)).kv?.lease).toBe('0');
    await backend.revokeLease(lease.id);
    expect((await backend.get(key)).kv).not.toBeNull();
  });

  it('revoking a lease with no keys takes no revision', async () => {
    const lease = await backend.grantLease(60);
    const { revision } = await backend.get('/registry/x');
    await backend.revokeLease(lease.id);
    expect((await backend.get('/registry/x')).revision).toBe(revision);
  });
});
