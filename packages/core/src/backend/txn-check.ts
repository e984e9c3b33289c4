import { BackendError } from './errors.js';
import { compareKeys } from './prefix.js';
import { checkRequestBytes, txnRequestBytes } from './request-size.js';
import type { TxnCompare, TxnLimits, TxnOp, TxnRequest } from './txn.js';

// etcd's rpctypes texts: drivers must fail exactly as etcd does, before anything is written.
export const ERR_KEY_NOT_PROVIDED = 'etcdserver: key is not provided';
export const ERR_TOO_MANY_OPS = 'etcdserver: too many operations in txn request';
export const ERR_DUPLICATE_KEY = 'etcdserver: duplicate key given in txn request';
export const ERR_VALUE_PROVIDED = 'etcdserver: value is provided';
export const ERR_LEASE_PROVIDED = 'etcdserver: lease is provided';
export const ERR_KEY_NOT_FOUND = 'etcdserver: key not found';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const invalid = (message: string): BackendError => new BackendError('InvalidArgument', message);

/** A range as etcd reads `range_end`: `null` end = no upper bound, `undefined` = the key alone. */
export interface KeyInterval {
  readonly start: string;
  readonly end: string | null | undefined;
}

/** etcd's range_end rules: absent/'' is the key alone, '\0' every key from `key` on. */
export function intervalOf(key: string, rangeEnd: string | undefined): KeyInterval {
  if (rangeEnd === undefined || rangeEnd === '') return { start: key, end: undefined };
  return { start: key, end: rangeEnd === '\0' ? null : rangeEnd };
}

export function intervalContains(iv: KeyInterval, key: string): boolean {
  if (iv.end === undefined) return key === iv.start;
  return compareKeys(key, iv.start) >= 0 && (iv.end === null || compareKeys(key, iv.end) < 0);
}

/**
 * Validates a transaction as etcd's server does before applying it, in etcd's order: non-empty keys, at most
 * `maxOps` compares and operations per branch (nested ones included), valid `ignoreValue`/`ignoreLease` use, no key
 * written twice in one branch (a put and an overlapping delete count; the same key in success and failure does
 * not), then the request size against `maxRequestBytes`. Drivers call it before taking their write lock.
 */
export function checkTxnRequest(request: TxnRequest, limits: TxnLimits): void {
  checkShape(request, limits);
  checkIntervals(request.success);
  checkIntervals(request.failure);
  // A server with no size limit of its own here (etcd3 passes requests through) skips the measuring.
  if (Number.isFinite(limits.maxRequestBytes)) checkRequestBytes(txnRequestBytes(request), limits.maxRequestBytes);
}

function checkShape(request: TxnRequest, limits: TxnLimits): void {
  if (!Array.isArray(request.compare) || !Array.isArray(request.success) || !Array.isArray(request.failure)) {
    throw invalid('txn request needs compare, success and failure arrays');
  }
  const ops = Math.max(request.compare.length, request.success.length, request.failure.length);
  if (ops > limits.maxOps) throw invalid(ERR_TOO_MANY_OPS);
  for (const c of request.compare) checkCompare(c);
  for (const op of [...request.success, ...request.failure]) checkOp(op, limits);
}

function checkCompare(c: TxnCompare): void {
  if (typeof c.key !== 'string' || c.key === '') throw invalid(ERR_KEY_NOT_PROVIDED);
  if (!['=', '!=', '<', '>'].includes(c.result)) throw invalid(`unknown compare result ${String(c.result)}`);
  const ok =
    c.target === 'value'
      ? c.value instanceof Uint8Array
      : c.target === 'lease'
        ? typeof c.value === 'string' && /^[0-9]+$/.test(c.value)
        : ['version', 'createRevision', 'modRevision'].includes(c.target) && Number.isSafeInteger(c.value);
  if (!ok) throw invalid(`invalid compare on ${c.target}: ${typeof c.value}`);
}

function checkOp(op: TxnOp, limits: TxnLimits): void {
  switch (op.type) {
    case 'txn':
      checkShape(op, limits);
      return;
    case 'put':
      if (typeof op.key !== 'string' || op.key === '') throw invalid(ERR_KEY_NOT_PROVIDED);
      if (LONE_SURROGATE.test(op.key)) throw invalid(`key ${JSON.stringify(op.key)} has a lone surrogate, not valid UTF-8`);
      if (!(op.value instanceof Uint8Array)) throw invalid('put value must be bytes');
      if (op.ignoreValue && op.value.length !== 0) throw invalid(ERR_VALUE_PROVIDED);
      if (op.ignoreLease && op.lease !== undefined && op.lease !== '0') throw invalid(ERR_LEASE_PROVIDED);
      if (op.lease !== undefined && !/^[0-9]+$/.test(op.lease)) throw invalid(`invalid lease id ${op.lease}`);
      return;
    case 'range':
    case 'deleteRange':
      if (typeof op.key !== 'string' || op.key === '') throw invalid(ERR_KEY_NOT_PROVIDED);
      if (op.type === 'range') checkRangeNumbers(op);
      return;
    default:
      throw invalid(ERR_KEY_NOT_FOUND);
  }
}

function checkRangeNumbers(op: Extract<TxnOp, { type: 'range' }>): void {
  for (const field of ['limit', 'revision', 'minModRevision', 'maxModRevision', 'minCreateRevision', 'maxCreateRevision'] as const) {
    const value = op[field];
    if (value !== undefined && !Number.isSafeInteger(value)) throw invalid(`invalid ${field}: ${String(value)}`);
  }
}

interface Writes {
  readonly puts: Set<string>;
  readonly deletes: KeyInterval[];
}

const deleted = (writes: Writes, key: string): boolean => writes.deletes.some((iv) => intervalContains(iv, key));

/** etcd's `checkIntervals`: the keys one branch puts and the ranges it deletes, refusing any key written twice. */
function checkIntervals(ops: readonly TxnOp[]): Writes {
  const writes: Writes = { puts: new Set(), deletes: [] };
  for (const op of ops) if (op.type === 'deleteRange') writes.deletes.push(intervalOf(op.key, op.rangeEnd));
  for (const op of ops) {
    if (op.type !== 'txn') continue;
    const then = checkIntervals(op.success);
    const otherwise = checkIntervals(op.failure);
    for (const key of then.puts) {
      if (writes.puts.has(key) || deleted(writes, key)) throw invalid(ERR_DUPLICATE_KEY);
      writes.puts.add(key);
    }
    for (const key of otherwise.puts) {
      // Only one of a nested txn's branches runs: a key in both is fine, a key also put elsewhere is not.
      if ((writes.puts.has(key) && !then.puts.has(key)) || deleted(writes, key)) throw invalid(ERR_DUPLICATE_KEY);
      writes.puts.add(key);
    }
    writes.deletes.push(...then.deletes, ...otherwise.deletes);
  }
  for (const op of ops) {
    if (op.type !== 'put') continue;
    if (writes.puts.has(op.key) || deleted(writes, op.key)) throw invalid(ERR_DUPLICATE_KEY);
    writes.puts.add(op.key);
  }
  return writes;
}
