import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBackendError, type TxnResult } from '@storagebackend/core';
import { enc, openTemp, type Opened } from './helpers.js';

describe('group commit', () => {
  let t: Opened;
  beforeEach(async () => {
    t = await openTemp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('64 concurrent writes get distinct dense revisions and the compare results of serial execution', async () => {
    const b = t.backend;
    await b.optimisticPut('/hot', enc('0'), 0); // 2
    const ops: Array<Promise<TxnResult>> = [];
    const kinds: string[] = [];
    for (let i = 0; i < 64; i++) {
      if (i % 2 === 0) {
        ops.push(b.optimisticPut(`/cold/${i}`, enc(String(i)), 0));
        kinds.push('create');
      } else if (i % 4 === 1) {
        ops.push(b.optimisticPut('/hot', enc(String(i)), 2)); // only the first of these can win
        kinds.push('cas');
      } else {
        ops.push(b.optimisticPut(`/cold/${i - 1}`, enc('dup'), 0)); // its create came just before: must fail
        kinds.push('dup');
      }
    }
    // count() reads synchronously when called, i.e. at the moment the first write is acknowledged.
    const visibleAtFirstAck = ops[0]!.then(() => b.count('/cold/'));
    const results = await Promise.all(ops);

    // Serial semantics in submission order.
    let expectedRev = 2;
    results.forEach((r, i) => {
      const kind = kinds[i];
      const shouldSucceed = kind === 'create' || (kind === 'cas' && i === 1);
      expect(r.succeeded, `op ${i} (${kind})`).toBe(shouldSucceed);
      if (shouldSucceed) expectedRev += 1;
      expect(r.revision, `op ${i} (${kind})`).toBe(expectedRev);
    });
    const revisions = results.filter((r) => r.succeeded).map((r) => r.revision);
    expect(new Set(revisions).size).toBe(revisions.length);
    expect(revisions).toEqual(Array.from({ length: 33 }, (_, i) => i + 3));
    // Acknowledged only after the whole batch committed.
    expect(await visibleAtFirstAck).toBe(32);
    expect((await b.get('/hot')).kv).toMatchObject({ modRevision: 4, version: 2 });
    expect((await b.status()).revision).toBe(35);
  });

  it('a failing write inside a batch fails alone and takes no revision', async () => {
    const b = t.backend;
    const settled = await Promise.allSettled([
      b.optimisticPut('/a', enc('1'), 0),
      b.optimisticPut('/b', enc('1'), 0, { leaseId: '424242' }),
      b.optimisticPut('/c', enc('1'), 0),
    ]);
    expect(settled[0]).toMatchObject({ status: 'fulfilled', value: { succeeded: true, revision: 2 } });
    expect(settled[1]!.status).toBe('rejected');
    expect(isBackendError((settled[1] as PromiseRejectedResult).reason, 'LeaseNotFound')).toBe(true);
    expect(settled[2]).toMatchObject({ status: 'fulfilled', value: { succeeded: true, revision: 3 } });
    expect((await b.get('/b')).kv).toBeNull();
  });

  it('an aborted write that has not run yet is dropped', async () => {
    const b = t.backend;
    const controller = new AbortController();
    const write = b.optimisticPut('/x', enc('1'), 0, { signal: controller.signal });
    controller.abort();
    await expect(write).rejects.toThrow();
    expect((await b.status()).revision).toBe(1);
  });

  it('backends on the same file in one process share one revision sequence', async () => {
    const other = await t.reopen();
    await t.backend.optimisticPut('/one', enc('1'), 0);
    expect((await other.optimisticPut('/two', enc('2'), 0)).revision).toBe(3);
    expect((await t.backend.get('/two')).kv).toMatchObject({ modRevision: 3 });
    await other.close();
    expect((await t.backend.get('/one')).revision).toBe(3);
  });
});
