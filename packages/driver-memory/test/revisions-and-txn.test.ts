import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../src/index.js';
import { bytes, expectCode, text } from './helpers.js';

describe('revisions', () => {
  it('a fresh store is at revision 1 and the first write takes 2, like etcd', async () => {
    const backend = new MemoryBackend();
    expect(await backend.status()).toMatchObject({ revision: 1, compactRevision: 0 });
    expect((await backend.get('/a')).revision).toBe(1);
    expect(await backend.optimisticPut('/a', bytes('1'), 0)).toEqual({ succeeded: true, revision: 2, kv: null });
  });

  it('puts and deletes take dense revisions; reads, failed compares and absent deletes take none', async () => {
    const backend = new MemoryBackend();
    const a = await backend.optimisticPut('/x/a', bytes('1'), 0);
    const b = await backend.optimisticPut('/y/b', bytes('1'), 0);
    const a2 = await backend.optimisticPut('/x/a', bytes('2'), a.revision);
    expect([a.revision, b.revision, a2.revision]).toEqual([2, 3, 4]);

    expect(await backend.optimisticPut('/x/a', bytes('3'), a.revision)).toEqual({ succeeded: false, revision: 4, kv: null });
    expect(await backend.optimisticDelete('/x/a', 99)).toEqual({ succeeded: false, revision: 4, kv: null });
    // etcd: the compare "mod == 0" holds for an absent key, and deleting nothing writes nothing.
    expect(await backend.optimisticDelete('/x/missing', 0)).toEqual({ succeeded: true, revision: 4, kv: null });
    await backend.list('/');
    await backend.count('/');
    expect((await backend.status()).revision).toBe(4);

    expect(await backend.optimisticDelete('/y/b', b.revision)).toEqual({ succeeded: true, revision: 5, kv: null });
    expect((await backend.optimisticPut('/y/b', bytes('again'), 0)).revision).toBe(6);
  });

  it('concurrent writers get distinct dense revisions', async () => {
    const backend = new MemoryBackend();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => backend.optimisticPut(`/k/${i}`, bytes(String(i)), 0)),
    );
    expect(results.map((r) => r.revision).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
  });
});

describe('optimistic put and delete', () => {
  it('fills createRevision, modRevision, version and lease; a re-created key starts over', async () => {
    const backend = new MemoryBackend();
    const c = await backend.optimisticPut('/a', bytes('one'), 0);
    const u = await backend.optimisticPut('/a', bytes('two'), c.revision);
    expect((await backend.get('/a')).kv).toMatchObject({
      key: '/a',
      createRevision: c.revision,
      modRevision: u.revision,
      version: 2,
      lease: '0',
    });
    const d = await backend.optimisticDelete('/a', u.revision);
    expect((await backend.get('/a')).kv).toBeNull();
    const again = await backend.optimisticPut('/a', bytes('three'), 0);
    expect(again.revision).toBe(d.revision + 1);
    expect((await backend.get('/a')).kv).toMatchObject({ createRevision: again.revision, version: 1 });
  });

  it('getOnFailure returns the current kv, or null when the key is absent', async () => {
    const backend = new MemoryBackend();
    const c = await backend.optimisticPut('/a', bytes('one'), 0);
    const failed = await backend.optimisticPut('/a', bytes('x'), 0, { getOnFailure: true });
    expect(failed.succeeded).toBe(false);
    expect(text(failed.kv!.value)).toBe('one');
    expect(failed.kv!.modRevision).toBe(c.revision);
    const del = await backend.optimisticDelete('/a', c.revision + 7, { getOnFailure: true });
    expect(del.kv?.modRevision).toBe(c.revision);
    expect(await backend.optimisticPut('/gone', bytes('x'), 5, { getOnFailure: true })).toEqual({
      succeeded: false,
      revision: c.revision,
      kv: null,
    });
  });

  it('an unknown lease fails with LeaseNotFound and writes nothing; a failed compare is reported first', async () => {
    const backend = new MemoryBackend();
    await expectCode(backend.optimisticPut('/a', bytes('x'), 0, { leaseId: '12345' }), 'LeaseNotFound');
    expect((await backend.status()).revision).toBe(1);
    expect((await backend.get('/a')).kv).toBeNull();
    const c = await backend.optimisticPut('/a', bytes('x'), 0);
    expect(await backend.optimisticPut('/a', bytes('y'), 0, { leaseId: '12345' })).toMatchObject({ succeeded: false });
    expect((await backend.optimisticPut('/a', bytes('y'), c.revision, { leaseId: '0' })).succeeded).toBe(true);
  });

  it('bad arguments fail with InvalidArgument and write nothing', async () => {
    const backend = new MemoryBackend();
    const anyBackend = backend as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await expectCode(backend.optimisticPut('', bytes('x'), 0), 'InvalidArgument');
    await expectCode(backend.optimisticPut('/a\ud800', bytes('x'), 0), 'InvalidArgument');
    await expectCode(anyBackend.optimisticPut!.call(backend, '/a', 'not bytes', 0), 'InvalidArgument');
    await expectCode(backend.optimisticPut('/a', bytes('x'), -1), 'InvalidArgument');
    await expectCode(backend.optimisticPut('/a', bytes('x'), 1.5), 'InvalidArgument');
    await expectCode(backend.optimisticPut('/a', bytes('x'), 0, { leaseId: 'abc' }), 'InvalidArgument');
    await expectCode(backend.get('/a', { revision: -3 }), 'InvalidArgument');
    await expectCode(backend.list('/a/', { limit: 2.5 }), 'InvalidArgument');
    await expectCode(backend.grantLease(Number.NaN), 'InvalidArgument');
    await expectCode(backend.revokeLease('x'), 'InvalidArgument');
    await expectCode(backend.compact(0), 'InvalidArgument');
    expect((await backend.status()).revision).toBe(1);
  });
});

describe('cancellation and close', () => {
  it('an already-aborted signal rejects the call with its reason and has no effect', async () => {
    const backend = new MemoryBackend();
    const reason = new Error('caller gave up');
    const signal = AbortSignal.abort(reason);
    await expect(backend.optimisticPut('/a', bytes('x'), 0, { signal })).rejects.toBe(reason);
    await expect(backend.grantLease(10, { signal })).rejects.toBe(reason);
    await expect(backend.get('/a', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(await backend.status()).toMatchObject({ revision: 1 });
    expect((await backend.get('/a')).kv).toBeNull();
  });

  it('after close every call rejects with Closed; close is idempotent', async () => {
    const backend = new MemoryBackend();
    await backend.optimisticPut('/a', bytes('x'), 0);
    await backend.close();
    await backend.close();
    await expectCode(backend.get('/a'), 'Closed');
    await expectCode(backend.list('/'), 'Closed');
    await expectCode(backend.optimisticPut('/b', bytes('x'), 0), 'Closed');
    await expectCode(backend.optimisticDelete('/a', 2), 'Closed');
    await expectCode(backend.grantLease(5), 'Closed');
    await expectCode(backend.compact(2), 'Closed');
    await expectCode(backend.status(), 'Closed');
    await expectCode(backend.requestProgress(), 'Closed');
    await expectCode(backend.watch('/', { prefix: true, startRevision: 1 })[Symbol.asyncIterator]().next(), 'Closed');
  });
});
