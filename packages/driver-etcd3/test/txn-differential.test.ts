import type { KeyValue, TxnCompare, TxnOp, TxnOpResponse, TxnRequest, TxnResponse } from '@storagebackend/core';
import { MemoryBackend } from '@storagebackend/driver-memory';
import { Etcd3 } from 'etcd3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcd, type EtcdServer } from '../src/testing/index.js';
import { fromEtcdTxn, toEtcdTxn } from '../src/txn-codec.js';

// etcd is the reference for transactions: random transactions run on the memory driver and, through the raw etcd3
// client, on a real etcd; every response and the final keyspace must agree (revisions relative to each side's start).

const KEYS = ['a', 'b', 'c', 'd', 'e'];
const enc = (s: string) => new TextEncoder().encode(s);

/** A transaction whose revisions are offsets from the side's starting revision, keys relative to its prefix. */
type Template = (prefix: string, base: number) => TxnRequest;

const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom('', 'v1', 'v2', 'v3');
const offset = fc.integer({ min: 0, max: 12 });

const compare = fc.oneof(
  fc.record({ k: key, end: fc.option(key, { nil: undefined }), target: fc.constantFrom('version' as const), result: fc.constantFrom('=', '!=', '<', '>' as const), n: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ k: key, end: fc.option(key, { nil: undefined }), target: fc.constantFrom('createRevision' as const, 'modRevision' as const), result: fc.constantFrom('=', '!=', '<', '>' as const), n: offset }),
  fc.record({ k: key, end: fc.option(key, { nil: undefined }), target: fc.constantFrom('value' as const), result: fc.constantFrom('=', '!=', '<', '>' as const), v: value }),
  fc.record({ k: key, end: fc.constant(undefined), target: fc.constantFrom('lease' as const), result: fc.constantFrom('=', '!=' as const) }),
);

type CompareSpec = { k: string; end: string | undefined; target: TxnCompare['target']; result: TxnCompare['result']; n?: number; v?: string };

function materializeCompare(c: CompareSpec, prefix: string, base: number): TxnCompare {
  const range = c.end !== undefined && c.end > c.k ? { rangeEnd: prefix + c.end } : {};
  const valueOf = (): TxnCompare['value'] => {
    switch (c.target) {
      case 'value':
        return enc(c.v ?? '');
      case 'lease':
        return '0';
      case 'version':
        return c.n ?? 0;
      default:
        return (c.n ?? 0) === 0 ? 0 : base + (c.n ?? 0);
    }
  };
  return { key: prefix + c.k, ...range, target: c.target, result: c.result, value: valueOf() };
}

type OpSpec =
  | { type: 'put'; k: string; v: string; prevKv: boolean; ignoreValue: boolean }
  | { type: 'deleteRange'; k: string; end: string | undefined; prevKv: boolean }
  | {
      type: 'range';
      k: string;
      end: string | undefined;
      limit: number;
      rev: number;
      keysOnly: boolean;
      countOnly: boolean;
      sortOrder: 'none' | 'ascend' | 'descend';
      sortTarget: 'key' | 'version' | 'createRevision' | 'modRevision' | 'value';
      minMod: number;
      maxCreate: number;
    };

const leafOp: fc.Arbitrary<OpSpec> = fc.oneof(
  fc.record({ type: fc.constant('put' as const), k: key, v: value, prevKv: fc.boolean(), ignoreValue: fc.boolean() }),
  fc.record({ type: fc.constant('deleteRange' as const), k: key, end: fc.option(key, { nil: undefined }), prevKv: fc.boolean() }),
  fc.record({
    type: fc.constant('range' as const),
    k: key,
    end: fc.option(key, { nil: undefined }),
    limit: fc.integer({ min: 0, max: 3 }),
    rev: fc.constantFrom(0, 0, 1, 3),
    keysOnly: fc.boolean(),
    countOnly: fc.boolean(),
    sortOrder: fc.constantFrom('none' as const, 'ascend' as const, 'descend' as const),
    sortTarget: fc.constantFrom('key' as const, 'version' as const, 'createRevision' as const, 'modRevision' as const, 'value' as const),
    minMod: fc.constantFrom(0, 0, 2),
    maxCreate: fc.constantFrom(0, 0, 4),
  }),
);

function materializeOp(op: OpSpec, prefix: string, base: number): TxnOp {
  const rangeEnd = (end: string | undefined, k: string) => (end !== undefined && end > k ? { rangeEnd: prefix + end } : {});
  switch (op.type) {
    case 'put':
      return op.ignoreValue
        ? { type: 'put', key: prefix + op.k, value: new Uint8Array(0), ignoreValue: true, prevKv: op.prevKv }
        : { type: 'put', key: prefix + op.k, value: enc(op.v), prevKv: op.prevKv };
    case 'deleteRange':
      return { type: 'deleteRange', key: prefix + op.k, ...rangeEnd(op.end, op.k), prevKv: op.prevKv };
    case 'range':
      return {
        type: 'range',
        key: prefix + op.k,
        ...rangeEnd(op.end, op.k),
        limit: op.limit,
        // Past revisions only after the base, which both sides have.
        revision: op.rev === 0 ? 0 : base + op.rev,
        keysOnly: op.keysOnly,
        countOnly: op.countOnly,
        sortOrder: op.sortOrder,
        sortTarget: op.sortTarget,
        minModRevision: op.minMod === 0 ? 0 : base + op.minMod,
        maxCreateRevision: op.maxCreate === 0 ? 0 : base + op.maxCreate,
      };
  }
}

const branch = (depth: number): fc.Arbitrary<Array<OpSpec | { type: 'txn'; spec: TxnSpec }>> =>
  fc.array(depth > 0 ? fc.oneof({ weight: 5, arbitrary: leafOp }, { weight: 1, arbitrary: txnSpec(depth - 1).map((spec) => ({ type: 'txn' as const, spec })) }) : leafOp, { maxLength: 4 });

interface TxnSpec {
  compare: CompareSpec[];
  success: Array<OpSpec | { type: 'txn'; spec: TxnSpec }>;
  failure: Array<OpSpec | { type: 'txn'; spec: TxnSpec }>;
}

function txnSpec(depth: number): fc.Arbitrary<TxnSpec> {
  return fc.record({ compare: fc.array(compare as fc.Arbitrary<CompareSpec>, { maxLength: 3 }), success: branch(depth), failure: branch(depth) });
}

function materialize(spec: TxnSpec): Template {
  return (prefix, base) => {
    const ops = (list: TxnSpec['success']): TxnOp[] =>
      list.map((op) => (op.type === 'txn' ? { type: 'txn', ...materialize(op.spec)(prefix, base) } : materializeOp(op, prefix, base)));
    return { compare: spec.compare.map((c) => materializeCompare(c, prefix, base)), success: ops(spec.success), failure: ops(spec.failure) };
  };
}

/** A kv with revisions relative to the side's start and its key relative to the prefix. */
function relativeKv(kv: KeyValue, prefix: string, base: number) {
  return {
    key: kv.key.slice(prefix.length),
    value: new TextDecoder().decode(kv.value),
    createRevision: kv.createRevision - base,
    modRevision: kv.modRevision - base,
    version: kv.version,
    lease: kv.lease,
  };
}

function relativeResponse(res: TxnOpResponse, prefix: string, base: number): unknown {
  switch (res.type) {
    case 'range':
      return { ...res, kvs: res.kvs.map((kv) => relativeKv(kv, prefix, base)) };
    case 'put':
      return { ...res, prevKv: res.prevKv && relativeKv(res.prevKv, prefix, base) };
    case 'deleteRange':
      return { ...res, prevKvs: res.prevKvs.map((kv) => relativeKv(kv, prefix, base)) };
    case 'txn':
      return { ...res, responses: res.responses.map((r) => relativeResponse(r, prefix, base)) };
  }
}

type Outcome = { ok: unknown } | { error: string };

async function runSide(
  txn: (request: TxnRequest) => Promise<TxnResponse>,
  list: (prefix: string) => Promise<readonly KeyValue[]>,
  templates: Template[],
  prefix: string,
  base: number,
): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const template of templates) {
    try {
      const res = await txn(template(prefix, base));
      out.push({ ok: { succeeded: res.succeeded, revision: res.revision - base, responses: res.responses.map((r) => relativeResponse(r, prefix, base)) } });
    } catch (err) {
      // grpc-js prefixes the status code ("3 INVALID_ARGUMENT: "); etcd's text follows.
      out.push({ error: (err as Error).message.replace(/^\d+ [A-Z_]+: /, '') });
    }
  }
  out.push({ ok: (await list(prefix)).map((kv) => relativeKv(kv, prefix, base)) });
  return out;
}

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
      fc.asyncProperty(fc.array(txnSpec(1), { minLength: 1, maxLength: 8 }), async (specs) => {
        const templates = specs.map(materialize);
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
