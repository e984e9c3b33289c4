import type { KeyValue, TxnRequest, TxnResponse } from '@storagebackend/core';
import { materializeTxn as materialize, runTxnSequence as runSide, txnSequenceArbitrary, type TxnSpec } from '@storagebackend/conformance';
import { MemoryBackend } from '@storagebackend/driver-memory';
import { Etcd3 } from 'etcd3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcd, type EtcdServer } from '../src/testing/index.js';
import { fromEtcdTxn, toEtcdTxn } from '../src/txn-codec.js';

// etcd is the reference for transactions: random transactions (the kit's generator) run on the memory driver and,
// through the raw etcd3 client, on a real etcd; every response and the final keyspace must agree (revisions
// relative to each side's start).

const enc = (s: string) => new TextEncoder().encode(s);

describe('differential: memory transactions vs real etcd', () => {
  let etcd: EtcdServer;
  let client: Etcd3;

  beforeAll(async () => {
    etcd = await startEtcd({ heartbeatIntervalMs: 10, electionTimeoutMs: 100 });
    client = new Etcd3({ hosts: etcd.endpoint });
  });

  afterAll(async () => {
    client?.close();
    await etcd?.stop();
  });

  it('chosen cases answer as etcd: nested compares after a write, nested duplicate keys, missing-key compares', async () => {
    const cases: TxnSpec[] = [
      // The nested compare runs after the outer put in op order, but etcd evaluates every compare first.
      { compare: [], success: [{ type: 'put', k: 'a', v: 'v1', prevKv: false, ignoreValue: false }, { type: 'txn', spec: { compare: [{ k: 'a', end: undefined, target: 'version', result: '=', n: 0 }], success: [{ type: 'put', k: 'b', v: 'v2', prevKv: true, ignoreValue: false }], failure: [] } }], failure: [] },
      { compare: [], success: [{ type: 'txn', spec: { compare: [], success: [{ type: 'put', k: 'c', v: 'v1', prevKv: false, ignoreValue: false }], failure: [{ type: 'put', k: 'c', v: 'v2', prevKv: false, ignoreValue: false }] } }, { type: 'put', k: 'c', v: 'v3', prevKv: false, ignoreValue: false }], failure: [] },
      { compare: [], success: [{ type: 'deleteRange', k: 'a', end: 'e', prevKv: true }, { type: 'txn', spec: { compare: [], success: [{ type: 'put', k: 'b', v: 'v1', prevKv: false, ignoreValue: false }], failure: [] } }], failure: [] },
      { compare: [{ k: 'zz', end: undefined, target: 'value', result: '!=', v: 'x' }], success: [], failure: [{ type: 'range', k: 'a', end: 'e', limit: 1, rev: 0, keysOnly: false, countOnly: false, sortOrder: 'descend', sortTarget: 'value', minMod: 0, maxCreate: 0 }] },
    ];
    const prefix = '/txn-cases/';
    const etcdTxn = async (request: TxnRequest) => fromEtcdTxn(await client.kv.txn(toEtcdTxn(request)));
    const memory = new MemoryBackend();
    try {
      const base = async (txn: (r: TxnRequest) => Promise<TxnResponse>) => (await txn({ compare: [], success: [], failure: [] })).revision;
      const etcdBase = await base(etcdTxn);
      const memBase = await base((r) => memory.txn(r));
      const etcdList = async (p: string) => (await etcdTxn({ compare: [], success: [{ type: 'range', key: p, rangeEnd: `${p.slice(0, -1)}0` }], failure: [] })).responses.flatMap((r) => (r.type === 'range' ? r.kvs : []));
      const wrap = (txn: (r: TxnRequest) => Promise<TxnResponse>) => async (r: TxnRequest) => {
        try {
          return await txn(r);
        } catch (err) {
          throw new Error((err as Error).message);
        }
      };
      const reference = await runSide(wrap(etcdTxn), etcdList, cases.map(materialize), prefix, etcdBase);
      const mine = await runSide(wrap((r) => memory.txn(r)), async (p) => (await memory.list(p)).kvs, cases.map(materialize), prefix, memBase);
      expect(mine).toEqual(reference);
      // The first case's nested compare saw the key as absent (evaluated before the outer put).
      expect((reference[0] as { ok: { responses: Array<{ succeeded?: boolean }> } }).ok.responses[1]?.succeeded).toBe(true);
    } finally {
      await memory.close();
    }
  });

  it('random transactions (compares, nested txns, range deletes, sorted and bounded ranges) answer as etcd', { timeout: 180_000 }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(txnSequenceArbitrary(), async (templates) => {
        const prefix = `/txn-diff/${String(run++).padStart(4, '0')}/`;
        // Both sides start with the same three revisions of history, so past-revision reads have something to read.
        const seed: TxnRequest = { compare: [], success: [{ type: 'put', key: `${prefix}a`, value: enc('seed') }], failure: [] };
        const etcdTxn = async (request: TxnRequest) => {
          try {
            return fromEtcdTxn(await client.kv.txn(toEtcdTxn(request)));
          } catch (err) {
            throw new Error((err as Error).message);
          }
        };
        const etcdList = async (p: string) =>
          fromEtcdTxn(await client.kv.txn(toEtcdTxn({ compare: [], success: [{ type: 'range', key: p, rangeEnd: `${p.slice(0, -1)}0` }], failure: [] })))
            .responses.flatMap((r) => (r.type === 'range' ? r.kvs : []));
        const memory = new MemoryBackend();
        try {
          const memTxn = (request: TxnRequest) => memory.txn(request);
          const memList = async (p: string) => (await memory.list(p)).kvs;
          for (let i = 0; i < 3; i++) {
            await etcdTxn(seed);
            await memTxn(seed);
          }
          const etcdBase = (await etcdTxn({ compare: [], success: [], failure: [] })).revision - 3;
          const memBase = (await memTxn({ compare: [], success: [], failure: [] })).revision - 3;
          const reference = await runSide(etcdTxn, etcdList, templates, prefix, etcdBase);
          expect(await runSide(memTxn, memList, templates, prefix, memBase)).toEqual(reference);
        } finally {
          await memory.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
