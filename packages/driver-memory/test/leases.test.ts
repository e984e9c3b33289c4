import { ManualClock } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../src/index.js';
import { bytes, expectCode, take } from './helpers.js';

function setup() {
  const clock = new ManualClock();
  return { clock, backend: new MemoryBackend({ clock }) };
}

describe('leases', () => {
  it('expiry deletes every attached key in one revision, visible as soon as advance returns', async () => {
    const { clock, backend } = setup();
    const lease = await backend.grantLease(10);
    expect(lease).toEqual({ id: expect.stringMatching(/^[1-9][0-9]*$/), ttlSeconds: 10 });
    await backend.optimisticPut('/l/b', bytes('b'), 0, { leaseId: lease.id });
    await backend.optimisticPut('/l/a', bytes('a'), 0, { leaseId: lease.id });
    await backend.optimisticPut('/l/free', bytes('f'), 0);
    expect((await backend.get('/l/a')).kv?.lease).toBe(lease.id);
    const before = (await backend.status()).revision;
    const watch = backend.watch('/l/', { prefix: true, startRevision: before + 1, prevKv: true })[Symbol.asyncIterator]();

    clock.advance(9_999);
    expect(await backend.count('/l/')).toBe(3);
    clock.advance(1);
    expect((await backend.list('/l/')).kvs.map((kv) => kv.key)).toEqual(['/l/free']);
    expect((await backend.status()).revision).toBe(before + 1);

    const [response] = await take(watch, 1);
    expect(response!.revision).toBe(before + 1);
    expect(response!.events.map((e) => [e.type, e.kv.key, e.kv.modRevision, e.prevKv?.key])).toEqual([
      ['delete', '/l/a', before + 1, '/l/a'],
      ['delete', '/l/b', before + 1, '/l/b'],
    ]);
    await expectCode(backend.revokeLease(lease.id), 'LeaseNotFound');
    await backend.close();
  });

  it('a lease without keys expires without taking a revision', async () => {
    const { clock, backend } = setup();
    const lease = await backend.grantLease(1);
    clock.advance(5_000);
    expect((await backend.status()).revision).toBe(1);
    await expectCode(backend.optimisticPut('/a', bytes('x'), 0, { leaseId: lease.id }), 'LeaseNotFound');
  });

  it('revoke deletes the keys at once in one revision; unknown ids fail LeaseNotFound', async () => {
    const { clock, backend } = setup();
    const lease = await backend.grantLease(60);
    for (const k of ['x', 'y', 'z']) await backend.optimisticPut(`/r/${k}`, bytes(k), 0, { leaseId: lease.id });
    const before = (await backend.status()).revision;
    await backend.revokeLease(lease.id);
    expect(await backend.count('/r/')).toBe(0);
    expect((await backend.status()).revision).toBe(before + 1);
    clock.advance(120_000);
    expect((await backend.status()).revision).toBe(before + 1);
    await expectCode(backend.revokeLease(lease.id), 'LeaseNotFound');
    await expectCode(backend.revokeLease('0'), 'LeaseNotFound');
    await expectCode(backend.revokeLease('987654321'), 'LeaseNotFound');
  });

  it('a put without a lease detaches the key; a put with another lease moves it; a deleted key stays deleted', async () => {
    const { clock, backend } = setup();
    const short = await backend.grantLease(5);
    const long = await backend.grantLease(50);
    const a = await backend.optimisticPut('/m/a', bytes('1'), 0, { leaseId: short.id });
    const b = await backend.optimisticPut('/m/b', bytes('1'), 0, { leaseId: short.id });
    const c = await backend.optimisticPut('/m/c', bytes('1'), 0, { leaseId: short.id });
    await backend.optimisticPut('/m/a', bytes('2'), a.revision);
    await backend.optimisticPut('/m/b', bytes('2'), b.revision, { leaseId: long.id });
    const deleted = await backend.optimisticDelete('/m/c', c.revision);
    expect((await backend.get('/m/a')).kv?.lease).toBe('0');
    expect((await backend.get('/m/b')).kv?.lease).toBe(long.id);

    clock.advance(5_000);
    // Nothing attached to the short lease any more: no deletes, no revision.
    expect((await backend.status()).revision).toBe(deleted.revision);
    expect(await backend.count('/m/')).toBe(2);
    clock.advance(45_000);
    expect((await backend.list('/m/')).kvs.map((kv) => kv.key)).toEqual(['/m/a']);
  });

  it('ids are unique; TTLs below 1 s are raised to 1 s like etcd raises them to its minimum', async () => {
    const { clock, backend } = setup();
    const leases = await Promise.all([backend.grantLease(0), backend.grantLease(1), backend.grantLease(2)]);
    expect(new Set(leases.map((l) => l.id)).size).toBe(3);
    expect(leases[0]!.ttlSeconds).toBe(1);
    await backend.optimisticPut('/t/a', bytes('x'), 0, { leaseId: leases[0]!.id });
    clock.advance(999);
    expect(await backend.count('/t/')).toBe(1);
    clock.advance(1);
    expect(await backend.count('/t/')).toBe(0);
    await expectCode(backend.grantLease(9_000_000_001), 'InvalidArgument');
  });
});
