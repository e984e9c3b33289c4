import { BackendError, compactedError, futureRevisionError, type Lease, type TxnResult } from '@storagebackend/core';
import { leaseNotFound } from './errors.js';
import { FeedEvent } from './events.js';
import { NO_ROW, kvFromCurrent, tombstoneKv, type CurrentRow } from './rows.js';
import type { WriteTx } from './write-tx.js';

/*
 * Every operation runs synchronously inside the batch's IMMEDIATE transaction. Checks come before the first
 * write, so an operation that throws a BackendError has written nothing and the batch carries on.
 */
/** Rows one revision can hold: the history row id keeps 20 bits for the index within its revision. */
const MAX_KEYS_PER_REVISION = 1 << 20;
/** A lease that cannot be expired is tried again this much later, so it never holds up the leases behind it. */
export const EXPIRY_RETRY_MS = 60_000;
const EMPTY = Buffer.alloc(0);

function failed(tx: WriteTx, current: CurrentRow | undefined, getOnFailure: boolean): TxnResult {
  return { succeeded: false, revision: tx.revision, kv: getOnFailure && current ? kvFromCurrent(current) : null };
}

export function putOp(key: string, value: Buffer, expected: number, lease: number, getOnFailure: boolean) {
  return (tx: WriteTx): TxnResult => {
    const { stmts } = tx;
    const current = stmts.getCurrent.get(key);
    if ((current?.mod_rev ?? 0) !== expected) return failed(tx, current, getOnFailure);
    if (lease !== 0 && !stmts.getLease.get(lease)) throw leaseNotFound(String(lease));
    // The previous row: the live version, else the tombstone of an earlier incarnation.
    const prev = current ? { rev: current.mod_rev, sub: current.mod_sub } : (stmts.getTombstone.get(key) ?? NO_ROW);
    const rev = tx.allocate();
    const createRev = current ? current.create_rev : rev;
    const version = current ? current.version + 1 : 1;
    stmts.insertHistory.run(rev, 0, key, 0, createRev, version, lease, prev.rev, prev.sub, value);
    stmts.upsertCurrent.run(key, createRev, rev, 0, version, lease, value);
    const kv = kvFromCurrent({ key, create_rev: createRev, mod_rev: rev, mod_sub: 0, version, lease, value });
    tx.emit(new FeedEvent('put', kv, current ? kvFromCurrent(current) : null));
    return { succeeded: true, revision: rev, kv: null };
  };
}

export function deleteOp(key: string, expected: number, getOnFailure: boolean) {
  return (tx: WriteTx): TxnResult => {
    const { stmts } = tx;
    const current = stmts.getCurrent.get(key);
    if ((current?.mod_rev ?? 0) !== expected) return failed(tx, current, getOnFailure);
    // etcd: deleting nothing succeeds without taking a revision.
    if (!current) return { succeeded: true, revision: tx.revision, kv: null };
    const rev = tx.allocate();
    stmts.insertHistory.run(rev, 0, key, 1, 0, 0, 0, current.mod_rev, current.mod_sub, EMPTY);
    stmts.putTombstone.run(key, rev, 0);
    stmts.deleteCurrent.run(key);
    tx.emit(new FeedEvent('delete', tombstoneKv(key, rev), kvFromCurrent(current)));
    return { succeeded: true, revision: rev, kv: null };
  };
}

export function grantOp(ttlSeconds: number) {
  return (tx: WriteTx): Lease => {
    // Absolute expiry: a restart must not extend the lease (kine#581).
    const { lastInsertRowid } = tx.stmts.insertLease.run(ttlSeconds, tx.now + ttlSeconds * 1000);
    tx.leaseTimers.push({ id: Number(lastInsertRowid), ms: ttlSeconds * 1000 });
    return { id: String(lastInsertRowid), ttlSeconds };
  };
}

/** Deletes a lease and all its keys in one revision (none if it has no keys); checks come before any write. */
function dropLease(tx: WriteTx, id: number): void {
  const { stmts } = tx;
  // Counted through the index, so an oversized lease is refused without loading its keys.
  if (stmts.leaseKeyCount.get(id, MAX_KEYS_PER_REVISION)!.n >= MAX_KEYS_PER_REVISION) {
    throw new BackendError(
      'InvalidArgument',
      `sqlite: lease ${id} holds too many keys (${MAX_KEYS_PER_REVISION} or more) to delete in one revision; delete some of them first`,
    );
  }
  const rows = stmts.currentByLease.all(id);
  const rev = rows.length > 0 ? tx.allocate() : 0;
  stmts.deleteLease.run(id);
  tx.leaseTimers.push({ id, ms: null });
  rows.forEach((row, index) => {
    stmts.insertHistory.run(rev, index, row.key, 1, 0, 0, 0, row.mod_rev, row.mod_sub, EMPTY);
    stmts.putTombstone.run(row.key, rev, index);
    stmts.deleteCurrent.run(row.key);
    tx.emit(new FeedEvent('delete', tombstoneKv(row.key, rev), kvFromCurrent(row)));
  });
}

export function revokeOp(id: number) {
  return (tx: WriteTx): void => {
    if (!tx.stmts.getLease.get(id)) throw leaseNotFound(String(id));
    dropLease(tx, id);
  };
}

/** Drops lease `id` if it still exists; one that cannot be dropped is put off instead (see EXPIRY_RETRY_MS). */
function expire(tx: WriteTx, id: number): void {
  try {
    dropLease(tx, id);
  } catch (err) {
    // dropLease raises its BackendErrors before writing anything.
    if (!(err instanceof BackendError)) throw err;
    tx.stmts.setLeaseExpiry.run(tx.now + EXPIRY_RETRY_MS, id);
    tx.leaseTimers.push({ id, ms: EXPIRY_RETRY_MS });
  }
}

/** Expires lease `id`, whose time in this process is up (if another process has not dropped it already). */
export function expireLeaseOp(id: number) {
  return (tx: WriteTx): void => {
    if (tx.stmts.getLease.get(id)) expire(tx, id);
    else tx.leaseTimers.push({ id, ms: null });
  };
}

/** Expires up to `limit` leases whose persisted expiry has passed, each in its own revision; returns how many. */
export function expireDueOp(limit: number) {
  return (tx: WriteTx): number => {
    const due = tx.stmts.dueLeases.all(tx.now, limit);
    for (const { id } of due) expire(tx, id);
    return due.length;
  };
}

/** Raises the compaction floor; the physical clean-up follows in compactStepOp batches. */
export function compactOp(revision: number) {
  return (tx: WriteTx): void => {
    if (revision > tx.revision) throw futureRevisionError(tx.revision);
    if (revision <= tx.floor) throw compactedError(tx.floor);
    tx.stmts.setMeta.run(revision, 'compact_revision');
  };
}

/** Rows cleaned between looks at the clock. */
const ROWS_PER_CLOCK_CHECK = 64;

/**
 * Cleans up to `batchSize` history rows at or below the floor, stopping early once `budgetMs` have passed (rows
 * with large values cost more): every row supersedes the row it points back to, and a tombstone below the floor
 * goes too. Rows at exactly the floor stay, so a watch from the floor misses nothing. Returns true when the
 * clean-up has reached the floor.
 */
export function compactStepOp(batchSize: number, budgetMs: number) {
  return (tx: WriteTx): boolean => {
    const { stmts } = tx;
    const floor = tx.floor;
    const cursor = stmts.compactCursor.get()!.value;
    const rows = stmts.compactScan.all(cursor, floor, batchSize);
    const deadline = performance.now() + budgetMs;
    let cleaned = 0;
    while (cleaned < rows.length) {
      const row = rows[cleaned++]!;
      if (row.prev !== 0n) {
        stmts.deleteRow.run(row.prev);
        stmts.deleteTombstone.run(row.key, row.prev);
      }
      if (row.deleted && Number(row.rev) < floor) {
        stmts.deleteRow.run(row.id);
        stmts.deleteTombstone.run(row.key, row.id);
      }
      if (cleaned % ROWS_PER_CLOCK_CHECK === 0 && performance.now() >= deadline) break;
    }
    const done = cleaned === rows.length && rows.length < batchSize;
    // When done, park the cursor at the floor's first row so the next compaction re-examines that revision.
    const next = done ? BigInt(floor) << 20n : rows[cleaned - 1]!.id + 1n;
    if (next !== cursor) stmts.setMeta.run(next, 'compact_cursor');
    return done;
  };
}
