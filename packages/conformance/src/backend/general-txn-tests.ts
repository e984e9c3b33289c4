import type { Backend, BackendWatchResponse, TxnCompare, TxnOp, TxnRangeResponse, TxnRequest } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { bytes, currentRevision, expectBackendError, openBackend, put, summary, text, uniquePrefix } from './support.js';

const txnOf = (backend: Backend, request: TxnRequest) => {
  if (backend.txn === undefined) throw new Error('capabilities.txn is declared but the backend has no txn()');
  return backend.txn(request);
};

const putOp = (key: string, value: string, extra: Partial<Extract<TxnOp, { type: 'put' }>> = {}): TxnOp => ({
  type: 'put',
  key,
  value: bytes(value),
  ...extra,
});

/** Responses of the first `count` watch responses from `start` under `prefix`. */
async function watchResponses(backend: Backend, prefix: string, start: number, count: number): Promise<BackendWatchResponse[]> {
  const controller = new AbortController();
  const out: BackendWatchResponse[] = [];
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    for await (const res of backend.watch(prefix, { prefix: true, startRevision: start, prevKv: true, signal: controller.signal })) {
      if (res.events.length === 0) continue;
      out.push(res);
      if (out.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return out;
}

/**
 * etcd's general transaction, for backends declaring `capabilities.txn`: compares, branches, one revision per
 * transaction, range deletes, ranges with every option, nested transactions, and etcd's refusals with its texts.
 */
export function backendGeneralTxnTests(target: ConformanceTarget): void {
  describe('txn (etcd Txn)', () => {
    it('all writes of one transaction share one new revision, and its events arrive together in op order', async (ctx) => {
      const backend = await openBackend(target, ctx, 'txn');
      const p = uniquePrefix('gtxn');
      const before = await currentRevision(backend);
      const res = await txnOf(backend, { compare: [], success: [putOp(`${p}b`, '1'), putOp(`${p}a`, '2')], failure: [] });
      expect(res).toMatchObject({ succeeded: true, revision: before + 1 });
      expect(res.responses).toEqual([{ type: 'put', prevKv: null }, { type: 'put', prevKv: null }]);
      const a = (await backend.get(`${p}a`)).kv;
      expect(summary(a)).toMatchObject({ value: '2', createRevision: before + 1, modRevision: before + 1, version: 1 });
      const [first] = await watchResponses(backend, p, before + 1, 1);
      expect(first?.revision).toBe(before + 1);
      expect(first?.events.map((e) => [e.type, e.kv.key])).toEqual([['put', `${p}b`], ['put', `${p}a`]]);
    });

    it('a transaction that changes nothing takes no revision', async (ctx) => {
      const backend = await openBackend(target, ctx, 'txn');
      const p = uniquePrefix('gtxn');
      await put(backend, `${p}a`, 'x');
      const before = await currentRevision(backend);
      const res = await txnOf(backend, {
        compare: [{ key: `${p}a`, target: 'value', result: '=', value: bytes('other') }],
        success: [putOp(`${p}a`, 'never')],
        failure: [{ type: 'range', key: `${p}a` }, { type: 'deleteRange', key: `${p}missing` }],
      });
      expect(res.succeeded).toBe(false);
      expect(res.revision).toBe(before);
      expect(res.responses[1]).toEqual({ type: 'deleteRange', deleted: 0, prevKvs: [] });
      expect(await currentRevision(backend)).toBe(before);
    });

    it('a missing key compares as zero, and a value compare on it is always false', async (ctx) => {
      const backend = await openBackend(target, ctx, 'txn');
      const key = `${uniquePrefix('gtxn')}missing`;
      const holds = async (c: Omit<TxnCompare, 'key'>) =>
        (await txnOf(backend, { compare: [{ key, ...c }], success: [], failure: [] })).succeeded;
      expect(await holds({ target: 'version', result: '=', value: 0 })).toBe(true);
      expect(await holds({ target: 'createRevision', result: '=', value: 0 })).toBe(true);
      expect(await holds({ target: 'modRevision', result: '<', value: 1 })).toBe(true);
      expect(await holds({ target: 'lease', result: '=', value: '0' })).toBe(true);
      for (const result of ['=', '!=', '<', '>'] as const) {
        expect(await holds({ target: 'value', result, value: bytes('') }), `value ${result} ''`).toBe(false);
      }
    });

    it('compares every target with every operator', async (ctx) => {
      const backend = await openBackend(target, ctx, 'txn');
      const key = `${uniquePrefix('gtxn')}k`;
      await put(backend, key, 'b');
      const second = await put(backend, key, 'b');
      const { kv } = await backend.get(key);
      const lease = await backend.grantLease(60).catch(() => undefined);
      const cases: Array<[Omit<TxnCompare, 'key'>, boolean]> = [
        [{ target: 'value', result: '=', value: bytes('b') }, true],
        [{ target: 'value', result: '<', value: bytes('c') }, true],
        [{ target: 'value', result: '>', value: bytes('a') }, true],
        [{ target: 'value', result: '!=', value: bytes('b') }, false],
        [{ target: 'version', result: '=', value: 2 }, true],
        [{ target: 'version', result: '>', value: 2 }, false],
        [{ target: 'modRevision', result: '=', value: second }, true],
        [{ target: 'modRevision', result: '<', value: second }, false],
        [{ target: 'createRevision', result: '<', value: second }, true],
        [{ target: 'createRevision', result: '!=', value: kv!.createRevision }, false],
        [{ target: 'lease', result: '=', value: '0' }, true],
        [{ target: 'lease', result: '<', value: lease?.id ?? '1' }, true],
      ];
      for (const [c, expected] of cases) {
        const res = await txnOf(backend, { compare: [{ key, ...c }], success: [], failure: [] });
        expect(res.succeeded, `${c.target} ${c.result} ${String(c.value)}`).toBe(expected);
      }
    });

    it('a range compare must hold for every key of the range', async (ctx) => {
      const backend = await openBackend(target, ctx, 'txn');
      const p = uniquePrefix('gtxn');
      await put(backend, `${p}a`, 'same');
      await put(backend, `${p}b`, 'same');
      const all = (value: string, rangeEnd: string) =>
        txnOf(backend, { compare: [{ key: `${p}a`, rangeEnd, target: 'value', result: '=', value: bytes(value) }], success: [], failure: [] });
      expect((await all('same', `${p}c`)).succeeded).toBe(true);
      await put(backend, `${p}b`, 'changed');
      expect((await all('same', `${p}c`)).succeeded).toBe(false);
      expect((await all('same', `${p}b`)).succeeded, 'the end is exclusive').toBe(true);
    });

    it('reads inside a transaction see its earlier writes; nested compares see the state before it', async (ctx) => {
      const backend = await openBackend(target, ctx, 'txn');
      const key = `${uniquePrefix('gtxn')}k`;
      const res = await txnOf(backend, {
        compare: [],
        success: [
          putOp(key, 'new'),
          { type: 'range', key },
          { type: 'txn', compare: [{ key, target: 'version', result: '=', value: 0 }], success: [{ type: 'range', key }], failure: [] },
        ],
        failure: [],
      });
      const read = res.responses[1] as TxnRangeResponse;
      expect(read.kvs.map((kv) => text(kv.value))).toEqual(['new']);
      expect(read.kvs[0]?.modRevision).toBe(res.revision);
      expect(res.responses[2]).toMatchObject({ type: 'txn', succeeded: true });
    });

    it('refuses a key written twice in one branch, and allows it once per branch', async (ctx) => {
      const backend = await openBackend(target, ctx, 'txn');
      const p = uniquePrefix('gtxn');
      const before = await currentRevision(backend);
      const dup = 'etcdserver: duplicate key given in txn request';
      const refused: TxnRequest[] = [
        { compare: [], success: [putOp(`${p}a`, '1'), putOp(`${p}a`, '2')], failure: [] },
        { compare: [], success: [putOp(`${p}a`, '1'), { type: 'deleteRange', key: p, rangeEnd: `${p}~` }], failure: [] },
        { compare: [], success: [putOp(`${p}a`, '1'), { type: 'txn', compare: [], success: [putOp(`${p}a`, '2')], failure: [] }], failure: [] },
      ];
      for (const request of refused) {
        const err = await expectBackendError(txnOf(backend, request), 'InvalidArgument');
        expect(err.message).toBe(dup);
      }
      expect(await currentRevision(backend), 'nothing written').toBe(before);
      const ok = await txnOf(backend, { compare: [], success: [putOp(`${p}a`, 'then')], failure: [putOp(`${p}a`, 'else')] });
      expect(ok.succeeded).toBe(true);
      const nested = await txnOf(backend, {
        compare: [],
        success: [{ type: 'txn', compare: [], success: [putOp(`${p}b`, '1')], failure: [putOp(`${p}b`, '2')] }],
        failure: [],
      });
      expect(nested.succeeded).toBe(true);
    });

    it('refuses more than 128 operations in a branch and empty keys, with etcd wording', async (ctx) => {
      const backend = await openBackend(target, ctx, 'txn');
      const p = uniquePrefix('gtxn');
      const ops = (n: number) => Array.from({ length: n }, (_, i) => putOp(`${p}${i}`, 'v'));
      const before = await currentRevision(backend);
      const tooMany = await expectBackendError(txnOf(backend, { compare: [], success: ops(129), failure: [] }), 'InvalidArgument');
      expect(tooMany.message).toBe('etcdserver: too many operations in txn request');
      const empty = await expectBackendError(txnOf(backend, { compare: [], success: [putOp('', 'v')], failure: [] }), 'InvalidArgument');
      expect(empty.message).toBe('etcdserver: key is not provided');
      expect(await currentRevision(backend)).toBe(before);
      expect((await txnOf(backend, { compare: [], success: ops(128), failure: [] })).revision).toBe(before + 1);
    });

    it('ignoreValue and ignoreLease keep the current value and lease; on a missing key nothing is written', async (ctx) => {
      const backend = await openBackend(target, ctx, 'txn');
      const p = uniquePrefix('gtxn');
      await put(backend, `${p}a`, 'kept');
      const res = await txnOf(backend, { compare: [], success: [putOp(`${p}a`, '', { ignoreValue: true, prevKv: true })], failure: [] });
      expect(res.responses[0]).toMatchObject({ type: 'put', prevKv: { key: `${p}a`, version: 1 } });
      expect(summary((await backend.get(`${p}a`)).kv)).toMatchObject({ value: 'kept', version: 2 });
      const before = await currentRevision(backend);
      const missing = await expectBackendError(
        txnOf(backend, { compare: [], success: [putOp(`${p}b`, 'x'), putOp(`${p}c`, '', { ignoreValue: true })], failure: [] }),
        'InvalidArgument',
      );
      expect(missing.message).toBe('etcdserver: key not found');
      const provided = await expectBackendError(
        txnOf(backend, { compare: [], success: [putOp(`${p}a`, 'x', { ignoreValue: true })], failure: [] }),
        'InvalidArgument',
      );
      expect(provided.message).toBe('etcdserver: value is provided');
      expect(await currentRevision(backend)).toBe(before);
      expect((await backend.get(`${p}b`)).kv).toBeNull();
    });

    it('a put with an unknown lease fails LeaseNotFound and writes nothing of the transaction', async (ctx) => {
      const backend = await openBackend(target, ctx, 'txn');
      const p = uniquePrefix('gtxn');
      const before = await currentRevision(backend);
      const err = await expectBackendError(
        txnOf(backend, { compare: [], success: [putOp(`${p}a`, '1'), putOp(`${p}b`, '2', { lease: '987654321' })], failure: [] }),
        'LeaseNotFound',
      );
      expect(err.message).toBe('etcdserver: requested lease not found');
      expect(await currentRevision(backend)).toBe(before);
      expect((await backend.get(`${p}a`)).kv).toBeNull();
    });

    it('a range delete of many keys is one revision and one batch of delete events', async (ctx) => {
      const backend = await openBackend(target, ctx, 'txn');
      const p = uniquePrefix('gtxn');
      const n = 300;
      for (let batch = 0; batch < n; batch += 100) {
        const success = Array.from({ length: 100 }, (_, i) => putOp(`${p}${String(batch + i).padStart(3, '0')}`, 'v'));
        await txnOf(backend, { compare: [], success, failure: [] });
      }
      const before = await currentRevision(backend);
      const res = await txnOf(backend, { compare: [], success: [{ type: 'deleteRange', key: p, rangeEnd: `${p.slice(0, -1)}0`, prevKv: true }], failure: [] });
      expect(res.revision).toBe(before + 1);
      expect(res.responses[0]).toMatchObject({ type: 'deleteRange', deleted: n });
      const prevKvs = (res.responses[0] as { prevKvs: readonly { key: string }[] }).prevKvs;
      expect(prevKvs.map((kv) => kv.key)).toEqual(Array.from({ length: n }, (_, i) => `${p}${String(i).padStart(3, '0')}`));
      const [batch] = await watchResponses(backend, p, before + 1, 1);
      expect(batch?.revision).toBe(before + 1);
      expect(batch?.events).toHaveLength(n);
      expect(batch?.events.every((e) => e.type === 'delete' && e.kv.modRevision === before + 1 && e.prevKv !== null)).toBe(true);
      expect((await backend.list(p)).count).toBe(0);
    });

    it('ranges honour limit, count, sort, revision filters, keysOnly, countOnly and past revisions', async (ctx) => {
      const backend = await openBackend(target, ctx, 'txn');
      const p = uniquePrefix('gtxn');
      const revs: number[] = [];
      for (const name of ['c', 'a', 'b']) revs.push(await put(backend, `${p}${name}`, `v-${name}`));
      const range = async (extra: Partial<Extract<TxnOp, { type: 'range' }>>) =>
        (await txnOf(backend, { compare: [], success: [{ type: 'range', key: p, rangeEnd: `${p}~`, ...extra }], failure: [] }))
          .responses[0] as TxnRangeResponse;
      const keys = (res: TxnRangeResponse) => res.kvs.map((kv) => kv.key.slice(p.length));
      expect(keys(await range({}))).toEqual(['a', 'b', 'c']);
      const limited = await range({ limit: 2 });
      expect([keys(limited), limited.more, limited.count]).toEqual([['a', 'b'], true, 3]);
      expect(keys(await range({ sortTarget: 'modRevision', sortOrder: 'descend' }))).toEqual(['b', 'a', 'c']);
      expect(keys(await range({ sortTarget: 'createRevision' })), 'a target other than key sorts ascending').toEqual(['c', 'a', 'b']);
      expect(keys(await range({ sortOrder: 'descend', limit: 1 }))).toEqual(['c']);
      const filtered = await range({ minModRevision: revs[1]!, maxModRevision: revs[1]! });
      expect([keys(filtered), filtered.count]).toEqual([['a'], 3]);
      expect((await range({ keysOnly: true })).kvs.every((kv) => kv.value.length === 0)).toBe(true);
      expect(await range({ countOnly: true })).toEqual({ type: 'range', kvs: [], more: false, count: 3 });
      expect(keys(await range({ revision: revs[1]! }))).toEqual(['a', 'c']);
      const future = await currentRevision(backend) + 10;
      await expectBackendError(range({ revision: future }), 'FutureRevision');
      const fromKey = await txnOf(backend, { compare: [], success: [{ type: 'range', key: `${p}b`, rangeEnd: '\0', countOnly: true }], failure: [] });
      expect((fromKey.responses[0] as TxnRangeResponse).count, "rangeEnd '\\0' reads every key from key on").toBeGreaterThanOrEqual(2);
    });
  });
}
