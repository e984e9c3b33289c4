import type { TxnCompare, TxnOp, TxnRequest } from '@storagebackend/core';
import fc from 'fast-check';

// Random etcd transactions for differential tests: a few keys under a per-run prefix, values that tie and differ,
// compares on every target, nested txns one level deep, range deletes, ranges with every option. Revisions are
// offsets from each side's starting revision, so two backends with different histories run the same sequence.

const KEYS = ['a', 'b', 'c', 'd', 'e'];
const enc = (s: string) => new TextEncoder().encode(s);

/** A transaction whose revisions are offsets from the side's starting revision, keys relative to its prefix. */
export type TxnTemplate = (prefix: string, base: number) => TxnRequest;

const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom('', 'v1', 'v2', 'v3');
const offset = fc.integer({ min: 0, max: 12 });

const compare = fc.oneof(
  fc.record({ k: key, end: fc.option(key, { nil: undefined }), target: fc.constantFrom('version' as const), result: fc.constantFrom('=', '!=', '<', '>' as const), n: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ k: key, end: fc.option(key, { nil: undefined }), target: fc.constantFrom('createRevision' as const, 'modRevision' as const), result: fc.constantFrom('=', '!=', '<', '>' as const), n: offset }),
  fc.record({ k: key, end: fc.option(key, { nil: undefined }), target: fc.constantFrom('value' as const), result: fc.constantFrom('=', '!=', '<', '>' as const), v: value }),
  fc.record({ k: key, end: fc.constant(undefined), target: fc.constantFrom('lease' as const), result: fc.constantFrom('=', '!=' as const) }),
);

export type CompareSpec = { k: string; end: string | undefined; target: TxnCompare['target']; result: TxnCompare['result']; n?: number; v?: string };

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

export type OpSpec =
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

export interface TxnSpec {
  compare: CompareSpec[];
  success: Array<OpSpec | { type: 'txn'; spec: TxnSpec }>;
  failure: Array<OpSpec | { type: 'txn'; spec: TxnSpec }>;
}

export function txnSpec(depth: number): fc.Arbitrary<TxnSpec> {
  return fc.record({ compare: fc.array(compare as fc.Arbitrary<CompareSpec>, { maxLength: 3 }), success: branch(depth), failure: branch(depth) });
}

export function materialize(spec: TxnSpec): TxnTemplate {
  return (prefix, base) => {
    const ops = (list: TxnSpec['success']): TxnOp[] =>
      list.map((op) => (op.type === 'txn' ? { type: 'txn', ...materialize(op.spec)(prefix, base) } : materializeOp(op, prefix, base)));
    return { compare: spec.compare.map((c) => materializeCompare(c, prefix, base)), success: ops(spec.success), failure: ops(spec.failure) };
  };
}


/**
 * Sequences of 1–8 random transactions as templates to materialize per side.
 *
 * @example
 * fc.assert(fc.asyncProperty(txnSequenceArbitrary(), async (templates) => { ... }));
 */
export function txnSequenceArbitrary(): fc.Arbitrary<TxnTemplate[]> {
  return fc.array(txnSpec(1), { minLength: 1, maxLength: 8 }).map((specs) => specs.map(materialize));
}
