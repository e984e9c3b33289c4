import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBackendError } from '@storagebackend/core';
import { dec, enc, openTemp, type Opened } from './helpers.js';

describe('revisions and compare-and-swap (etcd rules)', () => {
  let t: Opened;
  beforeEach(async () => {
    t = await openTemp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('starts at revision 1 and the first write takes revision 2', async () => {
    const b = t.backend;
    expect((await b.status()).revision).toBe(1);
    expect(await b.get('/a')).toEqual({ kv: null, revision: 1 });
    const r = await b.optimisticPut('/a', enc('1'), 0);
    expect(r).toEqual({ succeeded: true, revision: 2, kv: null });
    const { kv, revision } = await b.get('/a');
    expect(revision).toBe(2);
    expect(kv).toMatchObject({ key: '/a', createRevision: 2, modRevision: 2, version: 1, lease: '0' });
    expect(dec(kv!.value)).toBe('1');
  });

  it('update keeps createRevision and bumps version; recreate after delete starts over', async () => {
    const b = t.backend;
    await b.optimisticPut('/a', enc('1'), 0);
    expect((await b.optimisticPut('/a', enc('2'), 2)).revision).toBe(3);
    expect((await b.get('/a')).kv).toMatchObject({ createRevision: 2, modRevision: 3, version: 2 });
    expect(await b.optimisticDelete('/a', 3)).toEqual({ succeeded: true, revision: 4, kv: null });
    expect(await b.get('/a')).toEqual({ kv: null, revision: 4 });
    await b.optimisticPut('/a', enc('3'), 0);
    expect((await b.get('/a')).kv).toMatchObject({ createRevision: 5, modRevision: 5, version: 1 });
  });

  it('failed compares, reads and deletes of absent keys take no revision', async () => {
    const b = t.backend;
    await b.optimisticPut('/a', enc('1'), 0);
    expect(await b.optimisticPut('/a', enc('x'), 0)).toEqual({ succeeded: false, revision: 2, kv: null });
    const withKv = await b.optimisticPut('/a', enc('x'), 7, { getOnFailure: true });
    expect(withKv.succeeded).toBe(false);
    expect(withKv.kv).toMatchObject({ key: '/a', modRevision: 2 });
    expect(await b.optimisticDelete('/missing', 0)).toEqual({ succeeded: true, revision: 2, kv: null });
    expect(await b.optimisticDelete('/missing', 5, { getOnFailure: true })).toEqual({ succeeded: false, revision: 2, kv: null });
    expect(await b.optimisticDelete('/a', 9, { getOnFailure: true })).toMatchObject({ succeeded: false, revision: 2, kv: { modRevision: 2 } });
    await b.get('/a');
    await b.list('/');
    expect((await b.status()).revision).toBe(2);
    expect((await b.optimisticPut('/b', enc('1'), 0)).revision).toBe(3);
  });

  it('stores empty values, binary values and keys with NUL and non-ASCII characters', async () => {
    const b = t.backend;
    const binary = new Uint8Array([0, 255, 1, 0]);
    await b.optimisticPut('/k\u0000x', new Uint8Array(0), 0);
    await b.optimisticPut('/ключ/😀', binary, 0);
    const empty = (await b.get('/k\u0000x')).kv!;
    expect(empty.value).toBeInstanceOf(Uint8Array);
    expect(empty.value.length).toBe(0);
    expect([...(await b.get('/ключ/😀')).kv!.value]).toEqual([...binary]);
    expect((await b.get('/k')).kv).toBeNull();
  });

  it('rejects bad input with InvalidArgument and writes nothing', async () => {
    const b = t.backend;
    const bad = [
      () => b.optimisticPut('', enc('x'), 0),
      () => b.optimisticPut('/a', 'text' as unknown as Uint8Array, 0),
      () => b.optimisticPut('/a', enc('x'), -1),
      () => b.optimisticPut('/a', enc('x'), 1.5),
      () => b.optimisticPut('/a\ud800', enc('x'), 0),
      () => b.optimisticPut('/a', enc('x'), 0, { leaseId: 'abc' }),
      () => b.get('/a', { revision: 2.5 }),
      () => b.list('/a/', { continueKey: '/b' }),
      () => b.grantLease(0),
      () => b.compact(0),
    ];
    for (const call of bad) {
      const err = await call().then(() => null, (e: unknown) => e);
      expect(isBackendError(err, 'InvalidArgument'), String(err)).toBe(true);
    }
    expect((await b.status()).revision).toBe(1);
  });

  it('putting with an unknown lease fails LeaseNotFound without a revision; failed compare wins first', async () => {
    const b = t.backend;
    const err = await b.optimisticPut('/a', enc('x'), 0, { leaseId: '12345' }).catch((e: unknown) => e);
    expect(isBackendError(err, 'LeaseNotFound')).toBe(true);
    expect((await b.status()).revision).toBe(1);
    await b.optimisticPut('/a', enc('x'), 0);
    // etcd checks the lease only on the branch it takes.
    expect(await b.optimisticPut('/a', enc('y'), 0, { leaseId: '12345' })).toMatchObject({ succeeded: false, revision: 2 });
  });

  it('reads at past revisions, FutureRevision above the head, Compacted below the floor', async () => {
    const b = t.backend;
    await b.optimisticPut('/a', enc('v2'), 0); // 2
    await b.optimisticPut('/a', enc('v3'), 2); // 3
    await b.optimisticDelete('/a', 3); // 4
    await b.optimisticPut('/a', enc('v5'), 0); // 5
    expect((await b.get('/a', { revision: 1 })).kv).toBeNull();
    expect(dec((await b.get('/a', { revision: 2 })).kv!.value)).toBe('v2');
    expect((await b.get('/a', { revision: 3 })).kv).toMatchObject({ modRevision: 3, version: 2 });
    expect(await b.get('/a', { revision: 4 })).toEqual({ kv: null, revision: 5 });
    expect((await b.get('/a', { revision: 5 })).kv).toMatchObject({ createRevision: 5 });
    const future = await b.get('/a', { revision: 6 }).catch((e: unknown) => e);
    expect(isBackendError(future, 'FutureRevision')).toBe(true);
    await b.compact(3);
    const old = await b.get('/a', { revision: 2 }).catch((e: unknown) => e);
    expect(isBackendError(old, 'Compacted')).toBe(true);
    expect((old as { compactRevision: number }).compactRevision).toBe(3);
    expect((await b.get('/a', { revision: 3 })).kv).toMatchObject({ modRevision: 3 });
    expect((await b.get('/a', { revision: 4 })).kv).toBeNull();
    expect(isBackendError(await b.compact(3).catch((e: unknown) => e), 'Compacted')).toBe(true);
    expect(isBackendError(await b.compact(9).catch((e: unknown) => e), 'FutureRevision')).toBe(true);
    expect(await b.status()).toMatchObject({ revision: 5, compactRevision: 3 });
  });

  it('persists state and revisions across reopen', async () => {
    await t.backend.optimisticPut('/a', enc('1'), 0);
    await t.backend.optimisticPut('/b', enc('2'), 0);
    await t.backend.close();
    const again = await t.reopen();
    expect((await again.get('/b')).kv).toMatchObject({ modRevision: 3 });
    expect((await again.optimisticPut('/c', enc('3'), 0)).revision).toBe(4);
  });

  it('rejects calls after close with Closed', async () => {
    await t.backend.close();
    await t.backend.close();
    const err = await t.backend.get('/a').catch((e: unknown) => e);
    expect(isBackendError(err, 'Closed')).toBe(true);
  });
});
