import { BackendError, compactedError, futureRevisionError } from './errors.js';
import { compareKeys } from './prefix.js';
import { ERR_KEY_NOT_FOUND, intervalOf, type KeyInterval } from './txn-check.js';
import type {
  TxnCompare,
  TxnDeleteRangeResponse,
  TxnOp,
  TxnOpResponse,
  TxnRangeOp,
  TxnRangeResponse,
  TxnRequest,
  TxnResponse,
  TxnSortTarget,
} from './txn.js';
import type { KeyValue } from './types.js';

/**
 * What a driver whose storage is synchronous inside its write lock (memory, SQLite) hands the shared transaction
 * engine. Every call happens inside one atomic section; the driver commits the writes (one revision, one batch of
 * events in call order) when the engine returns.
 */
export interface TxnView {
  /** The store revision before the transaction. */
  readonly revision: number;
  readonly compactRevision: number;
  /** Live keys of the interval at `revision`, in byte order; `revision + 1` includes this transaction's writes. */
  range(interval: KeyInterval, revision: number): KeyValue[];
  leaseExists(id: string): boolean;
  /** Writes `kv` (its revisions and version already computed by the engine). */
  put(kv: KeyValue, previous: KeyValue | null): void;
  /** Deletes `previous.key` at `revision`. */
  delete(previous: KeyValue, revision: number): void;
}

export interface TxnOutcome extends TxnResponse {
  /** Whether anything was written (then `revision` is the transaction's new revision). */
  readonly wrote: boolean;
}

const ZERO_KV: KeyValue = { key: '', value: new Uint8Array(0), createRevision: 0, modRevision: 0, version: 0, lease: '0' };
const EMPTY = new Uint8Array(0);

/**
 * Runs an etcd transaction that passed `checkTxnRequest` over a driver's synchronous view, in etcd's order:
 * evaluate every compare (nested ones too) against the state before the transaction, check the chosen path
 * (leases, ignoreValue/ignoreLease targets, range revisions), then apply. Nothing is written when a check fails.
 */
export function executeTxn(view: TxnView, request: TxnRequest): TxnOutcome {
  const branches = choosePath(view, request);
  checkPath(view, request, branches[Symbol.iterator]());
  const run = new TxnRun(view);
  const path = branches[Symbol.iterator]();
  const succeeded = path.next().value as boolean;
  const responses = run.ops(succeeded ? request.success : request.failure, path);
  return { succeeded, responses, revision: run.wrote ? run.writeRevision : view.revision, wrote: run.wrote };
}

/** The branch each transaction on the path takes, in etcd's depth-first order (`compareToPath`). */
function choosePath(view: TxnView, request: TxnRequest, out: boolean[] = []): boolean[] {
  const ok = request.compare.every((c) => compareHolds(view, c));
  out.push(ok);
  for (const op of ok ? request.success : request.failure) if (op.type === 'txn') choosePath(view, op, out);
  return out;
}

function checkPath(view: TxnView, request: TxnRequest, path: Iterator<boolean>): void {
  const branch = path.next().value ? request.success : request.failure;
  for (const op of branch) {
    if (op.type === 'txn') checkPath(view, op, path);
    else if (op.type === 'range') readRevision(view, op.revision ?? 0, view.revision);
    else if (op.type === 'put') {
      if ((op.ignoreValue || op.ignoreLease) && view.range(intervalOf(op.key, undefined), view.revision).length === 0) {
        throw new BackendError('InvalidArgument', ERR_KEY_NOT_FOUND);
      }
      if (op.lease !== undefined && op.lease !== '0' && !view.leaseExists(op.lease)) {
        throw new BackendError('LeaseNotFound', 'etcdserver: requested lease not found');
      }
    }
  }
}

function readRevision(view: TxnView, requested: number, current: number): number {
  if (requested <= 0) return current;
  if (requested > view.revision) throw futureRevisionError(view.revision);
  if (requested < view.compactRevision) throw compactedError(view.compactRevision);
  return requested;
}

function compareHolds(view: TxnView, c: TxnCompare): boolean {
  const kvs = view.range(intervalOf(c.key, c.rangeEnd), view.revision);
  if (kvs.length === 0) return c.target !== 'value' && holds(c, ZERO_KV);
  return kvs.every((kv) => holds(c, kv));
}

function holds(c: TxnCompare, kv: KeyValue): boolean {
  const order = compareTarget(c, kv);
  switch (c.result) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '>':
      return order > 0;
  }
}

function compareTarget(c: TxnCompare, kv: KeyValue): number {
  switch (c.target) {
    case 'value':
      return Buffer.compare(kv.value, c.value as Uint8Array);
    case 'lease': {
      const [a, b] = [BigInt(kv.lease), BigInt(c.value as string)];
      return a === b ? 0 : a < b ? -1 : 1;
    }
    default:
      return Math.sign(kv[c.target] - (c.value as number));
  }
}

class TxnRun {
  readonly #view: TxnView;
  readonly writeRevision: number;
  wrote = false;

  constructor(view: TxnView) {
    this.#view = view;
    this.writeRevision = view.revision + 1;
  }

  /** Reads at "now" see this transaction's earlier writes. */
  get #now(): number {
    return this.wrote ? this.writeRevision : this.#view.revision;
  }

  ops(ops: readonly TxnOp[], path: Iterator<boolean>): TxnOpResponse[] {
    return ops.map((op) => this.#op(op, path));
  }

  #op(op: TxnOp, path: Iterator<boolean>): TxnOpResponse {
    switch (op.type) {
      case 'range':
        return this.#range(op);
      case 'put': {
        const [previous] = this.#view.range(intervalOf(op.key, undefined), this.#now);
        const revision = this.writeRevision;
        this.wrote = true;
        this.#view.put(
          {
            key: op.key,
            value: op.ignoreValue ? (previous?.value ?? EMPTY) : op.value,
            createRevision: previous ? previous.createRevision : revision,
            modRevision: revision,
            version: previous ? previous.version + 1 : 1,
            lease: op.ignoreLease ? (previous?.lease ?? '0') : (op.lease ?? '0'),
          },
          previous ?? null,
        );
        return { type: 'put', prevKv: op.prevKv ? (previous ?? null) : null };
      }
      case 'deleteRange':
        return this.#deleteRange(op.key, op.rangeEnd, op.prevKv === true);
      case 'txn': {
        const succeeded = path.next().value as boolean;
        return { type: 'txn', succeeded, responses: this.ops(succeeded ? op.success : op.failure, path) };
      }
    }
  }

  #deleteRange(key: string, rangeEnd: string | undefined, prevKv: boolean): TxnDeleteRangeResponse {
    const victims = this.#view.range(intervalOf(key, rangeEnd), this.#now);
    if (victims.length > 0) this.wrote = true;
    for (const kv of victims) this.#view.delete(kv, this.writeRevision);
    return { type: 'deleteRange', deleted: victims.length, prevKvs: prevKv ? victims : [] };
  }

  #range(op: TxnRangeOp): TxnRangeResponse {
    const revision = readRevision(this.#view, op.revision ?? 0, this.#now);
    let kvs = this.#view.range(intervalOf(op.key, op.rangeEnd), revision);
    const count = kvs.length;
    if (op.countOnly) return { type: 'range', kvs: [], more: false, count };
    kvs = kvs.filter(
      (kv) =>
        !(op.maxModRevision && kv.modRevision > op.maxModRevision) &&
        !(op.minModRevision && kv.modRevision < op.minModRevision) &&
        !(op.maxCreateRevision && kv.createRevision > op.maxCreateRevision) &&
        !(op.minCreateRevision && kv.createRevision < op.minCreateRevision),
    );
    const target = op.sortTarget ?? 'key';
    const order = op.sortOrder === undefined || op.sortOrder === 'none' ? (target === 'key' ? 'none' : 'ascend') : op.sortOrder;
    if (order !== 'none') {
      const sign = order === 'descend' ? -1 : 1;
      kvs.sort((a, b) => sign * sortCompare(target, a, b));
    }
    const limit = op.limit ?? 0;
    const more = limit > 0 && kvs.length > limit;
    if (more) kvs = kvs.slice(0, limit);
    if (op.keysOnly) kvs = kvs.map((kv) => ({ ...kv, value: EMPTY }));
    return { type: 'range', kvs, more, count };
  }
}

function sortCompare(target: TxnSortTarget, a: KeyValue, b: KeyValue): number {
  switch (target) {
    case 'key':
      return compareKeys(a.key, b.key);
    case 'value':
      return Buffer.compare(a.value, b.value);
    default:
      return a[target] - b[target];
  }
}
