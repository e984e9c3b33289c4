import type {
  TxnCompare,
  TxnOp,
  TxnOpResponse,
  TxnRequest,
  TxnResponse,
  TxnSortOrder,
  TxnSortTarget,
} from '@storagebackend/core';
import type { ICompare, IRequestOp, IResponseOp, ITxnRequest, ITxnResponse } from 'etcd3';
import { encodeKey, toKeyValue, toNumber } from './client/kv.js';

// etcd's proto enums (rpc.proto): the request carries numbers.
const COMPARE_RESULT = { '=': 0, '>': 1, '<': 2, '!=': 3 } as const;
const COMPARE_TARGET = { version: 0, createRevision: 1, modRevision: 2, value: 3, lease: 4 } as const;
const SORT_ORDER: Record<TxnSortOrder, number> = { none: 0, ascend: 1, descend: 2 };
const SORT_TARGET: Record<TxnSortTarget, number> = { key: 0, version: 1, createRevision: 2, modRevision: 3, value: 4 };

const rangeEndOf = (rangeEnd: string | undefined) =>
  rangeEnd === undefined || rangeEnd === '' ? {} : { range_end: encodeKey(rangeEnd) };

function toCompare(c: TxnCompare): ICompare {
  const base = { key: encodeKey(c.key), ...rangeEndOf(c.rangeEnd), result: COMPARE_RESULT[c.result], target: COMPARE_TARGET[c.target] };
  switch (c.target) {
    case 'value':
      return { ...base, value: Buffer.from(c.value as Uint8Array) };
    case 'lease':
      return { ...base, lease: c.value as string };
    case 'version':
      return { ...base, version: c.value as number };
    case 'createRevision':
      return { ...base, create_revision: c.value as number };
    case 'modRevision':
      return { ...base, mod_revision: c.value as number };
  }
}

function toRequestOp(op: TxnOp): IRequestOp {
  switch (op.type) {
    case 'range':
      return {
        request_range: {
          key: encodeKey(op.key),
          ...rangeEndOf(op.rangeEnd),
          limit: op.limit ?? 0,
          revision: op.revision ?? 0,
          sort_order: SORT_ORDER[op.sortOrder ?? 'none'],
          sort_target: SORT_TARGET[op.sortTarget ?? 'key'],
          keys_only: op.keysOnly === true,
          count_only: op.countOnly === true,
          min_mod_revision: op.minModRevision ?? 0,
          max_mod_revision: op.maxModRevision ?? 0,
          min_create_revision: op.minCreateRevision ?? 0,
          max_create_revision: op.maxCreateRevision ?? 0,
        },
      };
    case 'put':
      return {
        request_put: {
          key: encodeKey(op.key),
          value: Buffer.from(op.value.buffer, op.value.byteOffset, op.value.byteLength),
          lease: op.lease ?? '0',
          prev_kv: op.prevKv === true,
          ignore_value: op.ignoreValue === true,
          ignore_lease: op.ignoreLease === true,
        },
      };
    case 'deleteRange':
      return { request_delete_range: { key: encodeKey(op.key), ...rangeEndOf(op.rangeEnd), prev_kv: op.prevKv === true } };
    case 'txn':
      return { request_txn: toEtcdTxn(op) };
  }
}

/** Our transaction as etcd's TxnRequest (keys as UTF-8, revisions and lease ids as numbers or decimal strings). */
export function toEtcdTxn(request: TxnRequest): ITxnRequest {
  return {
    compare: request.compare.map(toCompare),
    success: request.success.map(toRequestOp),
    failure: request.failure.map(toRequestOp),
  };
}

function fromResponseOp(res: IResponseOp): TxnOpResponse {
  if (res.response_range) {
    const r = res.response_range;
    return { type: 'range', kvs: (r.kvs ?? []).map((kv) => toKeyValue(kv, true)), more: r.more === true, count: toNumber(r.count) };
  }
  if (res.response_put) {
    const prev = res.response_put.prev_kv;
    return { type: 'put', prevKv: prev ? toKeyValue(prev, true) : null };
  }
  if (res.response_delete_range) {
    const d = res.response_delete_range;
    return { type: 'deleteRange', deleted: toNumber(d.deleted), prevKvs: (d.prev_kvs ?? []).map((kv) => toKeyValue(kv, true)) };
  }
  const t = res.response_txn;
  return { type: 'txn', succeeded: t?.succeeded === true, responses: (t?.responses ?? []).map(fromResponseOp) };
}

/** etcd's TxnResponse in the Backend contract's shape. */
export function fromEtcdTxn(res: ITxnResponse): TxnResponse {
  return {
    succeeded: res.succeeded === true,
    revision: toNumber(res.header?.revision),
    responses: (res.responses ?? []).map(fromResponseOp),
  };
}
