import type { KeyValue } from '@storagebackend/core';

/** A row of `current` (the latest version of a live key). */
export interface CurrentRow {
  readonly key: string;
  readonly create_rev: number;
  readonly mod_rev: number;
  /** Index of the newest row within its revision (0 but for keys a transaction wrote among others). */
  readonly mod_sub: number;
  readonly version: number;
  readonly lease: number;
  readonly value: Buffer;
}

/** A row of `history`; `deleted` rows are tombstones. */
export interface HistoryRow {
  readonly rev: number;
  readonly key: string;
  readonly deleted: number;
  readonly create_rev: number;
  readonly version: number;
  readonly lease: number;
  /** The key's previous row (revision 0: none). */
  readonly prev_rev: number;
  readonly prev_sub: number;
  readonly value: Buffer;
}

/** Where a history row lives: its revision and its index within that revision. */
export interface RowRef {
  readonly rev: number;
  readonly sub: number;
}

export const NO_ROW: RowRef = { rev: 0, sub: 0 };

const EMPTY = new Uint8Array(0);

/** A plain Uint8Array view (no copy), so callers never see Buffer-only behaviour. */
export function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Buffer view of caller bytes for binding, without copying. */
export function toBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

export function kvFromCurrent(row: CurrentRow): KeyValue {
  return {
    key: row.key,
    value: bytes(row.value),
    createRevision: row.create_rev,
    modRevision: row.mod_rev,
    version: row.version,
    lease: String(row.lease),
  };
}

/** The kv of a live history row, or null for a tombstone. */
export function kvFromHistory(row: HistoryRow): KeyValue | null {
  if (row.deleted) return null;
  return {
    key: row.key,
    value: bytes(row.value),
    createRevision: row.create_rev,
    modRevision: row.rev,
    version: row.version,
    lease: String(row.lease),
  };
}

/** What etcd reports for a deleted key in a watch event. */
export function tombstoneKv(key: string, revision: number): KeyValue {
  return { key, value: EMPTY, createRevision: 0, modRevision: revision, version: 0, lease: '0' };
}
