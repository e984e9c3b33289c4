import { BackendError } from './errors.js';
import type { TxnCompare, TxnOp, TxnRequest } from './txn.js';

/** etcd's `--max-request-bytes` default: requests whose raft entry is larger are refused. */
export const DEFAULT_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

export const ERR_REQUEST_TOO_LARGE = 'etcdserver: request is too large';

// etcd compares the marshalled raft entry (InternalRaftRequest: a header with a 64-bit request id, then the
// request) with the limit. Sizes below are protobuf sizes of etcd's messages; the id is taken as 9 varint bytes,
// its usual size, so a request may be judged a few bytes differently from etcd right at the limit.
const RAFT_HEADER_BYTES = 2 + 1 + 1 + 9;
const utf8 = new TextEncoder();

const varintSize = (n: number): number => {
  if (n < 0) return 10;
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
};
const keySize = (key: string) => utf8.encode(key).length;
/** A length-delimited field: tag, length, payload. */
const field = (tagBytes: number, length: number) => tagBytes + varintSize(length) + length;
const numberField = (n: number | undefined) => (n === undefined || n === 0 ? 0 : 1 + varintSize(n));
const flag = (b: boolean | undefined) => (b ? 2 : 0);
const bytesField = (length: number, tagBytes = 1) => (length === 0 ? 0 : field(tagBytes, length));
const leaseNumber = (lease: string | undefined) => (lease === undefined || lease === '0' ? 0 : Number(lease));

function compareSize(c: TxnCompare): number {
  const union =
    c.target === 'value'
      ? field(1, (c.value as Uint8Array).length)
      : 1 + varintSize(c.target === 'lease' ? Number(c.value) : (c.value as number));
  return (
    (c.result === '=' ? 0 : 2) +
    (c.target === 'version' ? 0 : 2) +
    bytesField(keySize(c.key)) +
    union +
    bytesField(c.rangeEnd === undefined ? 0 : keySize(c.rangeEnd), 2)
  );
}

function opSize(op: TxnOp): number {
  switch (op.type) {
    case 'put':
      return (
        bytesField(keySize(op.key)) +
        bytesField(op.value.length) +
        numberField(leaseNumber(op.lease)) +
        flag(op.prevKv) +
        flag(op.ignoreValue) +
        flag(op.ignoreLease)
      );
    case 'deleteRange':
      return bytesField(keySize(op.key)) + bytesField(op.rangeEnd === undefined ? 0 : keySize(op.rangeEnd)) + flag(op.prevKv);
    case 'range':
      return (
        bytesField(keySize(op.key)) +
        bytesField(op.rangeEnd === undefined ? 0 : keySize(op.rangeEnd)) +
        numberField(op.limit) +
        numberField(op.revision) +
        (op.sortOrder === undefined || op.sortOrder === 'none' ? 0 : 2) +
        (op.sortTarget === undefined || op.sortTarget === 'key' ? 0 : 2) +
        flag(op.keysOnly) +
        flag(op.countOnly) +
        numberField(op.minModRevision) +
        numberField(op.maxModRevision) +
        numberField(op.minCreateRevision) +
        numberField(op.maxCreateRevision)
      );
    case 'txn':
      return txnBodySize(op);
  }
}

function txnBodySize(request: TxnRequest): number {
  let size = 0;
  for (const c of request.compare) size += field(1, compareSize(c));
  for (const op of [...request.success, ...request.failure]) size += field(1, field(1, opSize(op)));
  return size;
}

/** The size etcd would measure for this transaction's raft entry. */
export function txnRequestBytes(request: TxnRequest): number {
  return RAFT_HEADER_BYTES + field(1, txnBodySize(request));
}

/**
 * The size of the Kubernetes Store's compare-and-put for one key (`If(mod = expected).Then(Put)`, plus
 * `Else(Get)` when the current value is wanted back), which is what etcd measures for optimisticPut.
 */
export function optimisticPutBytes(
  key: string,
  valueLength: number,
  expectedModRevision: number,
  leaseId: string | undefined,
  getOnFailure: boolean,
): number {
  const keyBytes = keySize(key);
  const put = bytesField(keyBytes) + bytesField(valueLength) + numberField(leaseNumber(leaseId));
  const compare = 2 + bytesField(keyBytes) + 1 + varintSize(expectedModRevision);
  const body = field(1, compare) + field(1, field(1, put)) + (getOnFailure ? field(1, field(1, bytesField(keyBytes))) : 0);
  return RAFT_HEADER_BYTES + field(1, body);
}

/** Refuses a request over the limit with etcd's error, before anything is written. */
export function checkRequestBytes(size: number, maxRequestBytes: number): void {
  if (size > maxRequestBytes) throw new BackendError('RequestTooLarge', ERR_REQUEST_TOO_LARGE);
}
