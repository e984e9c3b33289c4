import { BackendError, isBackendError } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3Backend } from '../src/backend.js';
import { startEtcd, type EtcdServer } from '../src/testing/index.js';
import { backendFor, dec, enc } from './helpers.js';

let etcd: EtcdServer;
let backend: Etcd3Backend;

beforeAll(async () => {
  etcd = await startEtcd();
  backend = await backendFor(etcd.endpoint);
});

afterAll(async () => {
  await backend?.close();
  await etcd?.stop();
});

async function expectBackendError(promise: Promise<unknown>, code: BackendError['code']): Promise<BackendError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackendError);
  expect((err as BackendError).code).toBe(code);
  return err as BackendError;
}

describe('get and optimistic writes', () => {
  it('creates, reads, updates and deletes with etcd revision rules', async () => {
    const key = '/registry/pods/default/a';
    const missing = await backend.get(key);
    expect(missing.kv).toBeNull();
    const before = missing.revision;
    expect((await backend.get(key)).revision).toBe(before); // reads never bump the revision

    const created = await backend.optimisticPut(key, enc('v1'), 0);
    expect(created).toEqual({ succeeded: true, revision: before + 1, kv: null });
    const got = await backend.get(key);
    expect(got.revision).toBe(before + 1);
    expect(got.kv).toMatchObject({ key, createRevision: before + 1, modRevision: before + 1, version: 1, lease: '0' });
    expect(dec(got.kv!.value)).toBe('v1');

    const updated = await backend.optimisticPut(key, enc('v2'), before + 1);
    expect(updated.succeeded).toBe(true);
    expect(updated.revision).toBe(before + 2);
    const afterUpdate = await backend.get(key);
    expect(afterUpdate.kv).toMatchObject({ createRevision: before + 1, modRevision: before + 2, version: 2 });

    const deleted = await backend.optimisticDelete(key, before + 2);
    expect(deleted).toEqual({ succeeded: true, revision: before + 3, kv: null });
    expect((await backend.get(key)).kv).toBeNull();
  });

  it('fails a compare without writing and returns the current value only when asked', async () => {
    const key = '/registry/pods/default/cas';
    const { revision: rev } = await backend.optimisticPut(key, enc('one'), 0);

    const plain = await backend.optimisticPut(key, enc('two'), 0);
    expect(plain).toEqual({ succeeded: false, revision: rev, kv: null });

    const withGet = await backend.optimisticPut(key, enc('two'), rev - 1, { getOnFailure: true });
    expect(withGet.succeeded).toBe(false);
    expect(withGet.revision).toBe(rev); // a failed txn reports the current revision
    expect(withGet.kv).toMatchObject({ key, modRevision: rev });
    expect(dec(withGet.kv!.value)).toBe('one');

    const staleDelete = await backend.optimisticDelete(key, rev + 100, { getOnFailure: true });
    expect(staleDelete.succeeded).toBe(false);
    expect(dec(staleDelete.kv!.value)).toBe('one');
    expect((await backend.get(key)).revision).toBe(rev);

    const absent = await backend.optimisticPut('/registry/pods/default/none', enc('x'), 5, { getOnFailure: true });
    expect(absent).toEqual({ succeeded: false, revision: rev, kv: null });
  });

  it('deleting an absent key with expected revision 0 succeeds without a new revision (etcd semantics)', async () => {
    const { revision } = await backend.get('/registry/x');
    const res = await backend.optimisticDelete('/registry/pods/default/never', 0);
    expect(res).toEqual({ succeeded: true, revision, kv: null });
  });

  it('reads past revisions and rejects future ones with the current revision', async () => {
    const key = '/registry/pods/default/history';
    const first = await backend.optimisticPut(key, enc('old'), 0);
    await backend.optimisticPut(key, enc('new'), first.revision);
    const past = await backend.get(key, { revision: first.revision });
    expect(dec(past.kv!.value)).toBe('old');
    const current = (await backend.get(key)).revision;
    expect(past.revision).toBe(current); // the header revision is the store's, not the requested one
    expect((await backend.get(key, { revision: first.revision - 1 })).kv).toBeNull();

    const err = await expectBackendError(backend.get(key, { revision: current + 10 }), 'FutureRevision');
    expect(err.currentRevision).toBe(current);
    await expectBackendError(backend.list('/registry/', { revision: current + 1 }), 'FutureRevision');
  });

  it('rejects bad input with InvalidArgument and writes nothing', async () => {
    const { revision } = await backend.get('/registry/x');
    await expectBackendError(backend.get(''), 'InvalidArgument');
    await expectBackendError(backend.get('/k', { revision: -1 }), 'InvalidArgument');
    await expectBackendError(backend.optimisticPut('', enc('x'), 0), 'InvalidArgument');
    await expectBackendError(backend.optimisticPut('/k', 'str' as unknown as Uint8Array, 0), 'InvalidArgument');
    await expectBackendError(backend.optimisticPut('/k', enc('x'), -1), 'InvalidArgument');
    await expectBackendError(backend.optimisticPut('/k', enc('x'), 0, { leaseId: 'abc' }), 'InvalidArgument');
    await expectBackendError(backend.list('/registry/', { limit: 1.5 }), 'InvalidArgument');
    await expectBackendError(backend.grantLease(0), 'InvalidArgument');
    await expectBackendError(backend.compact(0), 'InvalidArgument');
    // etcd refuses requests above --max-request-bytes (1.5 MiB), and gRPC refuses messages above 2 MiB before it.
    const over = await expectBackendError(backend.optimisticPut('/k', new Uint8Array(1600 * 1024), 0), 'RequestTooLarge');
    expect(over.message).toBe('etcdserver: request is too large');
    await expectBackendError(backend.optimisticPut('/k', new Uint8Array(3 * 1024 * 1024), 0), 'RequestTooLarge');
    expect((await backend.get('/registry/x')).revision).toBe(revision);
  });

  it('rejects a put with an unknown lease with LeaseNotFound', async () => {
    await expectBackendError(backend.optimisticPut('/registry/pods/default/l', enc('x'), 0, { leaseId: '12345' }), 'LeaseNotFound');
    expect((await backend.get('/registry/pods/default/l')).kv).toBeNull();
  });

  it('rejects with the abort reason when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(backend.get('/registry/x', { signal: controller.signal })).rejects.toThrow('stop');
  });
});

describe('list and count', () => {
  const prefix = '/registry/services/';
  const names = ['a', 'b', 'c', 'd', 'e', 'é', '中'];

  beforeAll(async () => {
    for (const n of names) await backend.optimisticPut(`${prefix}${n}`, enc(n), 0);
    // Neighbours just outside the prefix must never show up.
    await backend.optimisticPut('/registry/services', enc('bare'), 0);
    await backend.optimisticPut('/registry/services0', enc('next'), 0);
  });

  it('lists a prefix in byte order with its count and the store revision', async () => {
    const res = await backend.list(prefix);
    expect(res.kvs.map((kv) => kv.key)).toEqual(names.map((n) => `${prefix}${n}`));
    expect(res.count).toBe(names.length);
    expect(res.revision).toBe((await backend.get('/registry/x')).revision);
    expect(await backend.count(prefix)).toBe(names.length);
    expect(await backend.count('/registry/nothing/')).toBe(0);
  });

  it('pages with limit and continueKey at a pinned revision', async () => {
    const first = await backend.list(prefix, { limit: 3 });
    expect(first.kvs).toHaveLength(3);
    expect(first.count).toBe(names.length);
    await backend.optimisticPut(`${prefix}bb`, enc('late'), 0); // after the snapshot

    const keys = first.kvs.map((kv) => kv.key);
    let continueKey = `${keys[keys.length - 1]}\u0000`;
    for (;;) {
      const page = await backend.list(prefix, { limit: 3, continueKey, revision: first.revision });
      expect(page.count).toBe(names.length - keys.length); // keys left from continueKey on
      keys.push(...page.kvs.map((kv) => kv.key));
      if (page.kvs.length < 3 || keys.length === names.length) break;
      continueKey = `${page.kvs[page.kvs.length - 1]!.key}\u0000`;
    }
    expect(keys).toEqual(names.map((n) => `${prefix}${n}`));
    expect((await backend.list(prefix)).count).toBe(names.length + 1);
    await backend.optimisticDelete(`${prefix}bb`, (await backend.get(`${prefix}bb`)).kv!.modRevision);
  });

  it('rejects a continueKey outside the prefix', async () => {
    await expectBackendError(backend.list(prefix, { continueKey: '/registry/pods/' }), 'InvalidArgument');
    await expectBackendError(backend.list(prefix, { continueKey: '/registry/services0' }), 'InvalidArgument');
  });

  it('lists more than 4 MiB in one response', async () => {
    const big = '/registry/big/';
    const value = new Uint8Array(1024 * 1024).fill(7);
    for (let i = 0; i < 6; i++) await backend.optimisticPut(`${big}${i}`, value, 0);
    const res = await backend.list(big);
    expect(res.kvs).toHaveLength(6);
    expect(res.kvs.every((kv) => kv.value.length === value.length && kv.value[123] === 7)).toBe(true);
  });
});

describe('value memory', () => {
  it('does not let small watched values pin a whole watch response buffer', async () => {
    const p = '/registry/pinned/';
    const start = (await backend.get('/registry/x')).revision + 1;
    const value = new Uint8Array(200).fill(9);
    for (let i = 0; i < 200; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => backend.optimisticPut(`${p}${i + j}`, value, 0)));
    }
    const { kvs } = await backend.list(p);
    expect(kvs).toHaveLength(200);
    expect(kvs.every((kv) => kv.value.length === 200 && kv.value[199] === 9)).toBe(true);

    const watched = await (async () => {
      for await (const res of backend.watch(p, { prefix: true, startRevision: start })) return res.events;
      return [];
    })();
    expect(watched.length).toBeGreaterThan(1);
    // Each kept value may share at most a small allocation slab, never the response.
    expect(Math.max(...watched.map((e) => e.kv.value.buffer.byteLength))).toBeLessThanOrEqual(Buffer.poolSize);
  });
});

describe('compaction and status', () => {
  it('fails reads below the floor with the exact compact revision and reports it in status', async () => {
    const key = '/registry/compact/k';
    const a = await backend.optimisticPut(key, enc('1'), 0);
    const b = await backend.optimisticPut(key, enc('2'), a.revision);
    await backend.optimisticPut(key, enc('3'), b.revision);

    await backend.compact(b.revision);
    const err = await expectBackendError(backend.get(key, { revision: a.revision }), 'Compacted');
    expect(err.compactRevision).toBe(b.revision);
    expect(err.message).toBe('mvcc: required revision has been compacted');
    const listErr = await expectBackendError(backend.list('/registry/compact/', { revision: a.revision }), 'Compacted');
    expect(listErr.compactRevision).toBe(b.revision);
    expect(dec((await backend.get(key, { revision: b.revision })).kv!.value)).toBe('2'); // the floor itself stays readable

    const again = await expectBackendError(backend.compact(b.revision), 'Compacted');
    expect(again.compactRevision).toBe(b.revision);
    const current = (await backend.get(key)).revision;
    const future = await expectBackendError(backend.compact(current + 5), 'FutureRevision');
    expect(future.currentRevision).toBe(current);

    const status = await backend.status();
    expect(status.compactRevision).toBe(b.revision);
    expect(status.revision).toBe(current);
    expect(status.dbSizeBytes).toBeGreaterThan(0);
  });

  it('finds a compaction made by another client', async () => {
    const other = await backendFor(etcd.endpoint);
    try {
      const { revision } = await backend.optimisticPut('/registry/compact/other', enc('x'), 0);
      await backend.optimisticPut('/registry/compact/other2', enc('y'), 0);
      await backend.compact(revision);
      expect((await other.status()).compactRevision).toBe(revision);
      const err = await expectBackendError(other.get('/registry/compact/other', { revision: 1 }), 'Compacted');
      expect(err.compactRevision).toBe(revision);
    } finally {
      await other.close();
    }
  });
});

describe('close', () => {
  it('rejects every call after close with Closed', async () => {
    const b = await backendFor(etcd.endpoint);
    await b.get('/registry/x');
    await b.close();
    await b.close(); // idempotent
    const err = await b.get('/registry/x').catch((e: unknown) => e);
    expect(isBackendError(err, 'Closed')).toBe(true);
    expect(isBackendError(await b.optimisticPut('/k', enc('x'), 0).catch((e: unknown) => e), 'Closed')).toBe(true);
    expect(isBackendError(await b.requestProgress().catch((e: unknown) => e), 'Closed')).toBe(true);
  });
});
