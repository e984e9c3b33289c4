import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, isBackendError, type Clock } from '@storagebackend/core';
import { prepareStatements } from '../src/statements.js';
import { Reader, enc, openTemp, type Opened } from './helpers.js';

describe('leases', () => {
  let t: Opened;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    t = await openTemp({ clock });
  });
  afterEach(async () => {
    await t.close();
  });

  it('expiry deletes all keys of the lease in one revision with ordinary delete events', async () => {
    const b = t.backend;
    const lease = await b.grantLease(60);
    expect(lease).toEqual({ id: expect.stringMatching(/^[1-9][0-9]*$/), ttlSeconds: 60 });
    await b.optimisticPut('/l/a', enc('a'), 0, { leaseId: lease.id }); // 2
    await b.optimisticPut('/l/b', enc('b'), 0, { leaseId: lease.id }); // 3
    await b.optimisticPut('/l/c', enc('c'), 0); // 4, no lease
    expect((await b.get('/l/a')).kv!.lease).toBe(lease.id);
    const reader = new Reader(b.watch('/l/', { prefix: true, startRevision: 5, prevKv: true }));
    expect(await reader.within(20)).toBe('timeout');

    clock.advance(59_999);
    expect(await b.count('/l/')).toBe(3);
    clock.advance(1);
    expect(await b.count('/l/')).toBe(1);
    const response = await reader.within(1000);
    if (response === 'timeout' || response.done) throw new Error('no expiry events');
    expect(response.value.revision).toBe(5);
    const events = response.value.events;
    expect(events.map((e) => [e.type, e.kv.key, e.kv.modRevision])).toEqual([
      ['delete', '/l/a', 5],
      ['delete', '/l/b', 5],
    ]);
    expect(events[0]!.prevKv).toMatchObject({ key: '/l/a', lease: lease.id });
    expect((await b.status()).revision).toBe(5);
    expect(isBackendError(await b.revokeLease(lease.id).catch((e: unknown) => e), 'LeaseNotFound')).toBe(true);
    await reader.return();
  });

  it('a put without a lease detaches the key from its lease', async () => {
    const b = t.backend;
    const lease = await b.grantLease(10);
    await b.optimisticPut('/d', enc('1'), 0, { leaseId: lease.id });
    await b.optimisticPut('/d', enc('2'), 2);
    expect((await b.get('/d')).kv!.lease).toBe('0');
    clock.advance(10_000);
    expect((await b.get('/d')).kv).not.toBeNull();
    expect((await b.status()).revision).toBe(3);
  });

  it('revoke deletes the keys in one revision; an empty lease takes no revision; unknown ids fail', async () => {
    const b = t.backend;
    const empty = await b.grantLease(30);
    await b.revokeLease(empty.id);
    expect((await b.status()).revision).toBe(1);
    const lease = await b.grantLease(30);
    expect(lease.id).not.toBe(empty.id);
    await b.optimisticPut('/r/1', enc('1'), 0, { leaseId: lease.id });
    await b.optimisticPut('/r/2', enc('2'), 0, { leaseId: lease.id });
    await b.revokeLease(lease.id);
    expect(await b.list('/r/')).toEqual({ kvs: [], count: 0, revision: 4 });
    expect((await b.get('/r/1', { revision: 3 })).kv).not.toBeNull();
    const err = await b.revokeLease(lease.id).catch((e: unknown) => e);
    expect(isBackendError(err, 'LeaseNotFound')).toBe(true);
    expect(isBackendError(await b.revokeLease('999').catch((e: unknown) => e), 'LeaseNotFound')).toBe(true);
    expect(isBackendError(await b.optimisticPut('/r/3', enc('3'), 0, { leaseId: lease.id }).catch((e: unknown) => e), 'LeaseNotFound')).toBe(true);
  });

  it('a restart does not extend a lease: expiry is absolute', async () => {
    const b = t.backend;
    const lease = await b.grantLease(60);
    await b.optimisticPut('/t/a', enc('a'), 0, { leaseId: lease.id });
    await b.close();
    clock.advance(40_000);
    const again = await t.reopen();
    expect((await again.get('/t/a')).kv).not.toBeNull();
    clock.advance(20_000);
    expect((await again.get('/t/a')).kv).toBeNull();
  });

  it('leases that expired while the database was closed expire when it opens', async () => {
    const b = t.backend;
    const lease = await b.grantLease(5);
    await b.optimisticPut('/o/a', enc('a'), 0, { leaseId: lease.id });
    await b.close();
    clock.advance(3_600_000);
    const again = await t.reopen();
    expect((await again.get('/o/a')).kv).toBeNull();
    expect((await again.status()).revision).toBe(3);
  });

  it('many leases expiring together each take their own revision', async () => {
    const b = t.backend;
    const leases = await Promise.all(Array.from({ length: 250 }, () => b.grantLease(1)));
    await Promise.all(leases.map((l, i) => b.optimisticPut(`/m/${i}`, enc('v'), 0, { leaseId: l.id })));
    expect((await b.status()).revision).toBe(251);
    clock.advance(1000);
    expect(await b.count('/m/')).toBe(0);
    expect((await b.status()).revision).toBe(501);
  });

  it("revoke and expiry find a lease's keys through the lease index instead of scanning every key", () => {
    const db = new Database(t.path, { readonly: true });
    try {
      const stmts = prepareStatements(db);
      for (const stmt of [stmts.currentByLease, stmts.leaseKeyCount]) {
        const params = stmt.source.split('?').slice(1).map(() => 7);
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${stmt.source}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
        expect(plan, stmt.source).toContainEqual(expect.stringMatching(/^SEARCH current USING (COVERING )?INDEX current_by_lease \(lease=\?\)/));
        expect(plan.filter((d) => d.startsWith('SCAN current')), stmt.source).toEqual([]);
      }
    } finally {
      db.close();
    }
  });

  it('setting the wall clock back while a lease runs does not extend it: the wait runs on the timers', async () => {
    const timers = new ManualClock();
    let offset = 0;
    const wall: Clock = { now: () => timers.now() + offset, setTimer: (fn, ms) => timers.setTimer(fn, ms) };
    const s = await openTemp({ clock: wall });
    try {
      const short = await s.backend.grantLease(60);
      const long = await s.backend.grantLease(7200); // longer than one timer step
      await s.backend.optimisticPut('/w/short', enc('v'), 0, { leaseId: short.id });
      await s.backend.optimisticPut('/w/long', enc('v'), 0, { leaseId: long.id });
      offset = -3_600_000;
      timers.advance(59_999);
      expect((await s.backend.get('/w/short')).kv).not.toBeNull();
      timers.advance(1);
      expect((await s.backend.get('/w/short')).kv).toBeNull();
      timers.advance(7_200_000 - 60_000 - 1);
      expect((await s.backend.get('/w/long')).kv).not.toBeNull();
      timers.advance(1);
      expect((await s.backend.get('/w/long')).kv).toBeNull();
    } finally {
      await s.close();
    }
  });
});
