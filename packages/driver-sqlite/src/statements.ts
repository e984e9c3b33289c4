import type Database from 'better-sqlite3';
import type { CurrentRow, HistoryRow } from './rows.js';

/** The part of a better-sqlite3 statement the driver uses. */
export interface Stmt<P extends unknown[], R = unknown> {
  readonly source: string;
  run(...params: P): Database.RunResult;
  get(...params: P): R | undefined;
  all(...params: P): R[];
  iterate(...params: P): IterableIterator<R>;
}
/** Exclusive upper bound of a key range; an empty Buffer (a BLOB) sorts after every TEXT key, i.e. no bound. */
export type KeyBound = string | Buffer;

const HEAD = `coalesce((SELECT id FROM history ORDER BY id DESC LIMIT 1) >> 20, 1)`;
const CUR = `key, create_rev, mod_rev, mod_sub, version, lease, value`;
const HIST = `id >> 20 AS rev, key, deleted, create_rev, version, lease, prev >> 20 AS prev_rev, prev & 1048575 AS prev_sub, value`;
/** A history row id from its revision and index within the revision. */
const ID = `((? << 20) | ?)`;

/** Every statement the driver runs, prepared once per connection. */
export function prepareStatements(db: Database.Database) {
  const p = <P extends unknown[], R = unknown>(sql: string, safeIntegers = false): Stmt<P, R> =>
    db.prepare<P, R>(sql).safeIntegers(safeIntegers);
  return {
    head: p<[], { rev: number }>(`SELECT ${HEAD} AS rev`),
    headAndFloor: p<[], { rev: number; floor: number }>(
      `SELECT ${HEAD} AS rev, (SELECT value FROM meta WHERE name = 'compact_revision') AS floor`,
    ),
    // One statement, one snapshot: the revision and the key's latest row.
    getLatest: p<[string], Partial<CurrentRow> & { rev: number }>(
      `SELECT ${HEAD} AS rev, c.key, c.create_rev, c.mod_rev, c.version, c.lease, c.value
       FROM (SELECT 1) LEFT JOIN current c ON c.key = ?`,
    ),
    getCurrent: p<[string], CurrentRow>(`SELECT ${CUR} FROM current WHERE key = ?`),
    listCurrent: p<[string, KeyBound, number], CurrentRow>(
      `SELECT ${CUR} FROM current WHERE key >= ? AND key < ? ORDER BY key LIMIT ?`,
    ),
    countCurrent: p<[string, KeyBound], { n: number }>(`SELECT count(*) AS n FROM current WHERE key >= ? AND key < ?`),
    hasCurrent: p<[string], { one: number }>(`SELECT 1 AS one FROM current WHERE key = ?`),
    upsertCurrent: p<[string, number, number, number, number, number, Buffer]>(
      `INSERT INTO current (key, create_rev, mod_rev, mod_sub, version, lease, value) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET create_rev = excluded.create_rev, mod_rev = excluded.mod_rev,
         mod_sub = excluded.mod_sub, version = excluded.version, lease = excluded.lease, value = excluded.value`,
    ),
    deleteCurrent: p<[string]>(`DELETE FROM current WHERE key = ?`),
    // `lease <> 0` repeats the partial index's condition: without it SQLite cannot use current_by_lease for `lease = ?`.
    currentByLease: p<[number], CurrentRow>(`SELECT ${CUR} FROM current WHERE lease = ? AND lease <> 0 ORDER BY key`),
    /** How many keys a lease holds, counting no further than `limit`. */
    leaseKeyCount: p<[number, number], { n: number }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM current WHERE lease = ? AND lease <> 0 LIMIT ?)`,
    ),

    insertHistory: p<[number, number, string, number, number, number, number, number, number, Buffer]>(
      `INSERT INTO history (id, key, deleted, create_rev, version, lease, prev, value) VALUES (${ID}, ?, ?, ?, ?, ?, ${ID}, ?)`,
    ),
    historyById: p<[number, number], HistoryRow>(`SELECT ${HIST} FROM history WHERE id = ${ID}`),
    /** Just the back pointer, without reading the value. */
    historyPrev: p<[number, number], { prev_rev: number; prev_sub: number }>(
      `SELECT prev >> 20 AS prev_rev, prev & 1048575 AS prev_sub FROM history WHERE id = ${ID}`,
    ),
    /** Rows of a key range written after a revision, oldest first. */
    changedSince: p<[number, string, KeyBound], { key: string; prev_rev: number; prev_sub: number }>(
      `SELECT key, prev >> 20 AS prev_rev, prev & 1048575 AS prev_sub FROM history
       WHERE id >= ((? + 1) << 20) AND +key >= ? AND +key < ? ORDER BY id`,
    ),
    /** Live keys of a range last written after a revision, with their newest row. */
    currentChangedSince: p<[string, KeyBound, number], { key: string; mod_rev: number; mod_sub: number }>(
      `SELECT key, mod_rev, mod_sub FROM current WHERE key >= ? AND key < ? AND mod_rev > ?`,
    ),
    /** Deleted keys of a range whose last row (the delete) came after a revision. */
    tombstonesSince: p<[string, KeyBound, number], { key: string; rev: number; sub: number }>(
      `SELECT key, id >> 20 AS rev, id & 1048575 AS sub FROM tombstones WHERE key >= ? AND key < ? AND id >= ((? + 1) << 20)`,
    ),
    /** Rows of revisions [from, to) in a key range; `+key` keeps the planner on the rowid range. */
    historyWindow: p<[number, number, string, KeyBound], HistoryRow>(
      `SELECT ${HIST} FROM history WHERE id >= (? << 20) AND id < (? << 20) AND +key >= ? AND +key < ? ORDER BY id`,
    ),
    /** Every row of revisions [from, to), at most `limit` of them. */
    historyWindowLimited: p<[number, number, number], HistoryRow>(
      `SELECT ${HIST} FROM history WHERE id >= (? << 20) AND id < (? << 20) ORDER BY id LIMIT ?`,
    ),
    getTombstone: p<[string], { rev: number; sub: number }>(
      `SELECT id >> 20 AS rev, id & 1048575 AS sub FROM tombstones WHERE key = ?`,
    ),
    putTombstone: p<[string, number, number]>(
      `INSERT INTO tombstones (key, id) VALUES (?, ${ID}) ON CONFLICT (key) DO UPDATE SET id = excluded.id`,
    ),

    getMeta: p<[string], { value: number }>(`SELECT value FROM meta WHERE name = ?`),
    setMeta: p<[number | bigint, string]>(`UPDATE meta SET value = ? WHERE name = ?`),
    compactCursor: p<[], { value: bigint }>(`SELECT value FROM meta WHERE name = 'compact_cursor'`, true),
    compactScan: p<[bigint, number, number], { id: bigint; key: string; deleted: bigint; rev: bigint; prev: bigint }>(
      `SELECT id, key, deleted, id >> 20 AS rev, prev FROM history WHERE id >= ? AND id < ((? + 1) << 20) ORDER BY id LIMIT ?`,
      true,
    ),
    deleteRow: p<[bigint]>(`DELETE FROM history WHERE id = ?`),
    deleteTombstone: p<[string, bigint]>(`DELETE FROM tombstones WHERE key = ? AND id = ?`),

    insertLease: p<[number, number]>(`INSERT INTO leases (ttl_seconds, expires_at_ms) VALUES (?, ?)`),
    getLease: p<[number], { id: number; ttl_seconds: number; expires_at_ms: number }>(
      `SELECT id, ttl_seconds, expires_at_ms FROM leases WHERE id = ?`,
    ),
    deleteLease: p<[number]>(`DELETE FROM leases WHERE id = ?`),
    setLeaseExpiry: p<[number, number]>(`UPDATE leases SET expires_at_ms = ? WHERE id = ?`),
    dueLeases: p<[number, number], { id: number }>(
      `SELECT id FROM leases WHERE expires_at_ms <= ? ORDER BY expires_at_ms, id LIMIT ?`,
    ),
    leasesAfter: p<[number], { id: number; expires_at_ms: number }>(`SELECT id, expires_at_ms FROM leases WHERE id > ? ORDER BY id`),

    dataVersion: p<[], { data_version: number }>(`PRAGMA data_version`),
    pageCount: p<[], { page_count: number }>(`PRAGMA page_count`),
    pageSize: p<[], { page_size: number }>(`PRAGMA page_size`),
    freelistCount: p<[], { freelist_count: number }>(`PRAGMA freelist_count`),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

export const NO_BOUND: Buffer = Buffer.alloc(0);

/** The exclusive end bound for SQL: '' (no end) becomes the BLOB sentinel. */
export function bound(end: string): KeyBound {
  return end === '' ? NO_BOUND : end;
}
