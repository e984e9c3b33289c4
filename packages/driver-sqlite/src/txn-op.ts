import { executeTxn, type KeyInterval, type KeyValue, type TxnRequest, type TxnResponse, type TxnView } from '@storagebackend/core';
import { FeedEvent } from './events.js';
import { getAt, rangeAt } from './reads.js';
import { NO_ROW, kvFromCurrent, tombstoneKv } from './rows.js';
import { bound } from './statements.js';
import type { WriteTx } from './write-tx.js';

const EMPTY = Buffer.alloc(0);
const toBuffer = (value: Uint8Array): Buffer =>
  Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);

/**
 * etcd's Txn (checked before it was queued) inside the batch's IMMEDIATE transaction, through core's engine: every check runs before the first
 * write, all writes share one revision (rows numbered within it), and the events go out in operation order.
 */
export function txnOp(request: TxnRequest) {
  return (tx: WriteTx): TxnResponse => {
    const { stmts } = tx;
    const before = tx.revision;
    let writeRevision = 0;
    let sub = 0;
    const revisionForWrite = (rev: number): number => {
      // The engine hands every write the same revision; take it from the batch once.
      if (writeRevision === 0) writeRevision = tx.allocate();
      if (writeRevision !== rev) throw new Error(`sqlite txn: write revision ${rev}, allocated ${writeRevision}`);
      return writeRevision;
    };
    const view: TxnView = {
      revision: before,
      compactRevision: tx.floor,
      range: (interval, revision) => readRange(tx, interval, revision),
      leaseExists: (id) => stmts.getLease.get(Number(id)) !== undefined,
      put: (kv, previous) => {
        const rev = revisionForWrite(kv.modRevision);
        const current = stmts.getCurrent.get(kv.key);
        const prev = current ? { rev: current.mod_rev, sub: current.mod_sub } : (stmts.getTombstone.get(kv.key) ?? NO_ROW);
        const value = toBuffer(kv.value);
        const lease = Number(kv.lease);
        const index = sub++;
        stmts.insertHistory.run(rev, index, kv.key, 0, kv.createRevision, kv.version, lease, prev.rev, prev.sub, value);
        stmts.upsertCurrent.run(kv.key, kv.createRevision, rev, index, kv.version, lease, value);
        tx.emit(new FeedEvent('put', kv, previous));
      },
      delete: (previous, revision) => {
        const rev = revisionForWrite(revision);
        const current = stmts.getCurrent.get(previous.key)!;
        const index = sub++;
        stmts.insertHistory.run(rev, index, previous.key, 1, 0, 0, 0, current.mod_rev, current.mod_sub, EMPTY);
        stmts.putTombstone.run(previous.key, rev, index);
        stmts.deleteCurrent.run(previous.key);
        tx.emit(new FeedEvent('delete', tombstoneKv(previous.key, rev), kvFromCurrent(current)));
      },
    };
    const outcome = executeTxn(view, request);
    return { succeeded: outcome.succeeded, revision: outcome.revision, responses: outcome.responses };
  };
}

/** Live keys of an interval at `revision`; at or after the batch's revision `current` already has the txn's writes. */
function readRange(tx: WriteTx, interval: KeyInterval, revision: number): KeyValue[] {
  const { stmts } = tx;
  if (interval.end === undefined) {
    if (revision >= tx.revision) {
      const row = stmts.getCurrent.get(interval.start);
      return row ? [kvFromCurrent(row)] : [];
    }
    const { kv } = getAt(stmts, interval.start, revision);
    return kv ? [kv] : [];
  }
  const end = bound(interval.end ?? '');
  if (revision >= tx.revision) return stmts.listCurrent.all(interval.start, end, -1).map(kvFromCurrent);
  return rangeAt(stmts, interval.start, end, revision);
}
