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
  return kvAt(stmts, walkBack(stmts, current ? { rev: current.mod_rev, sub: current.mod_sub } : (stmts.getTombstone.get(key) ?? NO_ROW), revision));
}

/** From a key's row `ref`, the row in effect at `revision` (NO_ROW: none); one step per write to that key since. */
function walkBack(stmts: Statements, ref: RowRef, revision: number): RowRef {
  let at = ref;
  while (at.rev > revision) {
    const back = stmts.historyPrev.get(at.rev, at.sub);
    if (!back) return NO_ROW;
    at = { rev: back.prev_rev, sub: back.prev_sub };
  }
  return at;
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
  return { ...listPast(stmts, start, end, revision, head, limit), revision: head };
}

export function countLatest(stmts: Statements, prefix: string): number {
  return stmts.countCurrent.get(prefix, bound(prefixEnd(prefix)))!.n;
}

/**
 * The keys of [start, end) written after `revision`, each with the row in effect at it, found the cheaper of two
 * ways: through the history written since (all keys: cost grows with writes anywhere) when that is short, else
 * through the range itself (cost grows with the range and the writes to it only).
 */
function changedKeys(stmts: Statements, start: string, end: KeyBound, revision: number, head: number, live: number) {
  const changed = new Map<string, RowRef>();
  let changedAndLive = 0;
  if (head - revision <= live) {
    // A key's first row after the revision points back at the version in effect at it.
    for (const row of stmts.changedSince.iterate(revision, start, end)) {
      if (!changed.has(row.key)) changed.set(row.key, { rev: row.prev_rev, sub: row.prev_sub });
    }
    for (const key of changed.keys()) if (stmts.hasCurrent.get(key)) changedAndLive++;
    return { changed, changedAndLive };
  }
  // Live keys written since, then keys deleted since; a key deleted since and created again is live.
  for (const row of stmts.currentChangedSince.all(start, end, revision)) {
    changed.set(row.key, walkBack(stmts, { rev: row.mod_rev, sub: row.mod_sub }, revision));
    changedAndLive++;
  }
  for (const row of stmts.tombstonesSince.all(start, end, revision)) {
    if (!changed.has(row.key)) changed.set(row.key, walkBack(stmts, row, revision));
  }
  return { changed, changedAndLive };
}

function listPast(stmts: Statements, start: string, end: KeyBound, revision: number, head: number, limit: number) {
  const live = stmts.countCurrent.get(start, end)!.n;
  const { changed, changedAndLive } = changedKeys(stmts, start, end, revision, head, live);
  const then: KeyValue[] = [];
  for (const ref of changed.values()) {
    const kv = kvAt(stmts, ref);
    if (kv) then.push(kv);
  }
  then.sort((a, b) => compareKeys(a.key, b.key));
  const count = live - changedAndLive + then.length;

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

/** Live keys of [start, end) at a past `revision` (at or above the floor), in key order; for transactions. */
export function rangeAt(stmts: Statements, start: string, end: KeyBound, revision: number): KeyValue[] {
  return listPast(stmts, start, end, revision, stmts.head.get()!.rev, 0).kvs;
}
