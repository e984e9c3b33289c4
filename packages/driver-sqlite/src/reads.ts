import {
  compactedError,
  compareKeys,
  futureRevisionError,
  prefixEnd,
  type GetResult,
  type KeyValue,
  type ListResult,
} from '@storagebackend/core';
import { NO_ROW, kvFromCurrent, kvFromHistory, type CurrentRow, type RowRef } from './rows.js';
import { bound, type KeyBound, type Statements } from './statements.js';

/*
 * Reads at the latest revision use only `current`, so their cost never depends on how much history a key has.
 * Reads at a past revision R start from `current` and undo just the keys written after R, following each
 * row's pointer to the key's previous row.
 */

/** Latest read: one statement, hence one snapshot, without a transaction. */
export function getLatest(stmts: Statements, key: string): GetResult {
  const row = stmts.getLatest.get(key)!;
  return { kv: row.key == null ? null : kvFromCurrent(row as CurrentRow), revision: row.rev };
}

/** Read at a revision; call inside a read transaction. The result's revision is the current one, as in etcd. */
export function getAt(stmts: Statements, key: string, revision: number): GetResult {
  const { rev: head, floor } = stmts.headAndFloor.get()!;
  if (revision > head) throw futureRevisionError(head);
  if (revision === head) {
    const row = stmts.getCurrent.get(key);
    return { kv: row ? kvFromCurrent(row) : null, revision: head };
  }
  if (revision < floor) throw compactedError(floor);
  return { kv: versionAt(stmts, key, revision), revision: head };
}

/** Walks the key's rows back from its newest one to the one in effect at `revision`. */
function versionAt(stmts: Statements, key: string, revision: number): KeyValue | null {
  const current = stmts.getCurrent.get(key);
  if (current && current.mod_rev <= revision) return kvFromCurrent(current);
  let ref: RowRef = current ? { rev: current.mod_rev, sub: 0 } : (stmts.getTombstone.get(key) ?? NO_ROW);
  while (ref.rev > revision) {
    const back = stmts.historyPrev.get(ref.rev, ref.sub);
    if (!back) return null;
    ref = { rev: back.prev_rev, sub: back.prev_sub };
  }
  return kvAt(stmts, ref);
}

function kvAt(stmts: Statements, ref: RowRef): KeyValue | null {
  if (ref.rev === 0) return null;
  const row = stmts.historyById.get(ref.rev, ref.sub);
  return row ? kvFromHistory(row) : null;
}

/** Lists [start, end of prefix) at a revision (0 = latest); call inside a read transaction. */
export function listAt(stmts: Statements, prefix: string, start: string, revision: number, limit: number): ListResult {
  const end = bound(prefixEnd(prefix));
  const { rev: head, floor } = stmts.headAndFloor.get()!;
  if (revision > head) throw futureRevisionError(head);
  if (revision === 0 || revision === head) {
    const rows = stmts.listCurrent.all(start, end, limit > 0 ? limit : -1);
    const count = limit > 0 && rows.length === limit ? stmts.countCurrent.get(start, end)!.n : rows.length;
    return { kvs: rows.map(kvFromCurrent), count, revision: head };
  }
  if (revision < floor) throw compactedError(floor);
  return { ...listPast(stmts, start, end, revision, limit), revision: head };
}

export function countLatest(stmts: Statements, prefix: string): number {
  return stmts.countCurrent.get(prefix, bound(prefixEnd(prefix)))!.n;
}

function listPast(stmts: Statements, start: string, end: KeyBound, revision: number, limit: number) {
  // A key's first row after the revision points back at the version in effect at it.
  const changed = new Map<string, RowRef>();
  for (const row of stmts.changedSince.iterate(revision, start, end)) {
    if (!changed.has(row.key)) changed.set(row.key, { rev: row.prev_rev, sub: row.prev_sub });
  }
  const then: KeyValue[] = [];
  let changedAndLive = 0;
  for (const [key, ref] of changed) {
    const kv = kvAt(stmts, ref);
    if (kv) then.push(kv);
    if (stmts.hasCurrent.get(key)) changedAndLive++;
  }
  then.sort((a, b) => compareKeys(a.key, b.key));
  const count = stmts.countCurrent.get(start, end)!.n - changedAndLive + then.length;

  const max = limit > 0 ? limit : Number.POSITIVE_INFINITY;
  const kvs: KeyValue[] = [];
  let i = 0;
  for (const row of stmts.listCurrent.iterate(start, end, -1)) {
    if (changed.has(row.key)) continue;
    while (i < then.length && kvs.length < max && compareKeys(then[i]!.key, row.key) < 0) kvs.push(then[i++]!);
    if (kvs.length >= max) break;
    kvs.push(kvFromCurrent(row));
    if (kvs.length >= max) break;
  }
  while (i < then.length && kvs.length < max) kvs.push(then[i++]!);
  return { kvs, count };
}
