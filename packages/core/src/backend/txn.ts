import { DEFAULT_MAX_REQUEST_BYTES } from './request-size.js';
import type { CallOptions, KeyValue } from './types.js';

/** What a compare reads from each key: etcd's `Compare.CompareTarget`. */
export type TxnCompareTarget = 'value' | 'version' | 'createRevision' | 'modRevision' | 'lease';

/** etcd's `Compare.CompareResult`, as operators. */
export type TxnCompareResult = '=' | '!=' | '<' | '>';

/**
 * One compare of a transaction. On a missing key it compares against a zero KeyValue (version, revisions and
 * lease 0), except that a `value` compare on a missing key is always false; with `rangeEnd` it must hold for
 * every key of the range (an empty range compares like a missing key).
 *
 * @example
 * const unchanged: TxnCompare = { key: '/registry/leases/a', target: 'modRevision', result: '=', value: 42 };
 */
export interface TxnCompare {
  readonly key: string;
  /** Absent or '': the key alone; '\0': every key ≥ `key`; otherwise the keys in `[key, rangeEnd)`. */
  readonly rangeEnd?: string;
  readonly target: TxnCompareTarget;
  readonly result: TxnCompareResult;
  /** Bytes for `value`, a decimal lease id string for `lease`, a number for the others. */
  readonly value: Uint8Array | number | string;
}

export type TxnSortOrder = 'none' | 'ascend' | 'descend';
export type TxnSortTarget = 'key' | 'version' | 'createRevision' | 'modRevision' | 'value';

/** etcd's RangeRequest. */
export interface TxnRangeOp {
  readonly type: 'range';
  readonly key: string;
  readonly rangeEnd?: string;
  /** 0 or absent: no limit. */
  readonly limit?: number;
  /** 0 or absent: the current revision (inside a transaction: including its earlier writes). */
  readonly revision?: number;
  readonly keysOnly?: boolean;
  readonly countOnly?: boolean;
  /** 'none' unless given; a sortTarget other than 'key' with 'none' sorts ascending, as etcd. */
  readonly sortOrder?: TxnSortOrder;
  readonly sortTarget?: TxnSortTarget;
  readonly minModRevision?: number;
  readonly maxModRevision?: number;
  readonly minCreateRevision?: number;
  readonly maxCreateRevision?: number;
}

/** etcd's PutRequest. */
export interface TxnPutOp {
  readonly type: 'put';
  readonly key: string;
  /** Must be empty with `ignoreValue`. */
  readonly value: Uint8Array;
  /** Lease id as a decimal string; '0' or absent: none. Must be absent or '0' with `ignoreLease`. */
  readonly lease?: string;
  readonly prevKv?: boolean;
  /** Keep the key's current value (the key must exist). */
  readonly ignoreValue?: boolean;
  /** Keep the key's current lease (the key must exist). */
  readonly ignoreLease?: boolean;
}

/** etcd's DeleteRangeRequest. */
export interface TxnDeleteRangeOp {
  readonly type: 'deleteRange';
  readonly key: string;
  readonly rangeEnd?: string;
  readonly prevKv?: boolean;
}

/**
 * etcd's TxnRequest: when every compare holds, `success` runs in order, else `failure`. Every write of one
 * transaction shares one new revision; a transaction that changes nothing takes none.
 *
 * @example
 * const res = await backend.txn!({
 *   compare: [{ key: '/lock', target: 'createRevision', result: '=', value: 0 }],
 *   success: [{ type: 'put', key: '/lock', value: bytes('me'), lease }],
 *   failure: [{ type: 'range', key: '/lock' }],
 * });
 */
export interface TxnRequest {
  readonly compare: readonly TxnCompare[];
  readonly success: readonly TxnOp[];
  readonly failure: readonly TxnOp[];
}

/** A transaction nested as one operation of another. */
export interface TxnNestedOp extends TxnRequest {
  readonly type: 'txn';
}

export type TxnOp = TxnRangeOp | TxnPutOp | TxnDeleteRangeOp | TxnNestedOp;

export interface TxnRangeResponse {
  readonly type: 'range';
  readonly kvs: readonly KeyValue[];
  /** More keys matched than `limit` let through. */
  readonly more: boolean;
  /** Keys in the range at that revision, independent of limit and filters. */
  readonly count: number;
}

export interface TxnPutResponse {
  readonly type: 'put';
  /** With `prevKv`: the value before the put, null if the key was absent. Without it: null. */
  readonly prevKv: KeyValue | null;
}

export interface TxnDeleteRangeResponse {
  readonly type: 'deleteRange';
  readonly deleted: number;
  /** With `prevKv`: the deleted values in key order; otherwise empty. */
  readonly prevKvs: readonly KeyValue[];
}

export interface TxnNestedResponse {
  readonly type: 'txn';
  readonly succeeded: boolean;
  readonly responses: readonly TxnOpResponse[];
}

export type TxnOpResponse = TxnRangeResponse | TxnPutResponse | TxnDeleteRangeResponse | TxnNestedResponse;

export interface TxnResponse {
  readonly succeeded: boolean;
  /** The store revision after the transaction (its write revision, or the unchanged current one). */
  readonly revision: number;
  /** One per operation of the branch that ran. */
  readonly responses: readonly TxnOpResponse[];
}

/** etcd's server limits on a transaction (`--max-txn-ops`, `--max-request-bytes`). */
export interface TxnLimits {
  readonly maxOps: number;
  readonly maxRequestBytes: number;
}

export const DEFAULT_TXN_LIMITS: TxnLimits = { maxOps: 128, maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES };

export type TxnOptions = CallOptions;
