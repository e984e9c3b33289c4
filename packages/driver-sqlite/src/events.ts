import type { BackendWatchEvent, BackendWatchEventType as WatchEventType, KeyValue } from '@storagebackend/core';
import { kvFromHistory, tombstoneKv, type HistoryRow } from './rows.js';
import type { Statements } from './statements.js';

/** One change as the feed carries it; watchers pick the variant with or without prevKv. */
export class FeedEvent {
  readonly rev: number;
  readonly key: string;
  readonly type: WatchEventType;
  readonly kv: KeyValue;
  readonly prevKv: KeyValue | null;
  #plain: BackendWatchEvent | undefined;
  #withPrev: BackendWatchEvent | undefined;

  constructor(type: WatchEventType, kv: KeyValue, prevKv: KeyValue | null) {
    this.rev = kv.modRevision;
    this.key = kv.key;
    this.type = type;
    this.kv = kv;
    this.prevKv = prevKv;
  }

  view(withPrev: boolean): BackendWatchEvent {
    if (withPrev) return (this.#withPrev ??= { type: this.type, kv: this.kv, prevKv: this.prevKv });
    return (this.#plain ??= { type: this.type, kv: this.kv, prevKv: null });
  }
}

/**
 * Builds the event of a history row. prevKv is the key's state at rev - 1 (the row `prev` points at), which etcd
 * only reports while that revision is not compacted; creates have none.
 */
export function eventFromRow(stmts: Statements, row: HistoryRow, floor: number, withPrev: boolean): FeedEvent {
  const kv = kvFromHistory(row);
  let prevKv: KeyValue | null = null;
  if (withPrev && row.prev_rev > 0 && !(kv && kv.version === 1) && row.rev - 1 >= floor) {
    const prev = stmts.historyById.get(row.prev_rev, row.prev_sub);
    prevKv = prev ? kvFromHistory(prev) : null;
  }
  return kv ? new FeedEvent('put', kv, prevKv) : new FeedEvent('delete', tombstoneKv(row.key, row.rev), prevKv);
}
