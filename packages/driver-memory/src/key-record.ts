import type { KeyValue } from '@storagebackend/core';
import { sortKeyOf } from './sort-key.js';

/** One key's retained history. */
export interface KeyRecord {
  readonly key: string;
  readonly sortKey: string;
  /** Versions in modRevision order; a tombstone (version 0, the delete event's kv) marks a delete. */
  versions: KeyValue[];
}

export const EMPTY_VALUE = new Uint8Array(0);

export function newKeyRecord(key: string): KeyRecord {
  return { key, sortKey: sortKeyOf(key), versions: [] };
}

/** The kv etcd reports for a delete: key and delete revision, every other field zero. */
export function tombstone(key: string, revision: number): KeyValue {
  return { key, value: EMPTY_VALUE, createRevision: 0, modRevision: revision, version: 0, lease: '0' };
}

export function isTombstone(kv: KeyValue): boolean {
  return kv.version === 0;
}

/** The live value now, or null when absent or deleted. */
export function latest(record: KeyRecord | undefined): KeyValue | null {
  if (record === undefined) return null;
  const last = record.versions[record.versions.length - 1];
  return last === undefined || last.version === 0 ? null : last;
}

/** The live value as of `revision`, or null. */
export function visibleAt(record: KeyRecord, revision: number): KeyValue | null {
  const versions = record.versions;
  const last = versions[versions.length - 1];
  if (last === undefined) return null;
  if (last.modRevision <= revision) return last.version === 0 ? null : last;
  const i = lastAtOrBefore(versions, revision);
  const kv = i < 0 ? null : versions[i]!;
  return kv === null || kv.version === 0 ? null : kv;
}

/** Index of the last version with modRevision ≤ `revision`, or -1. */
export function lastAtOrBefore(versions: readonly KeyValue[], revision: number): number {
  let lo = 0;
  let hi = versions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (versions[mid]!.modRevision <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Drops versions no read at or after `revision` can see; returns how many bytes that released. */
export function compactRecord(record: KeyRecord, revision: number): number {
  const versions = record.versions;
  const i = lastAtOrBefore(versions, revision);
  if (i < 0) return 0;
  // Keep the version a read at `revision` sees, unless it is a tombstone (then the key reads as absent anyway).
  const drop = versions[i]!.version === 0 ? i + 1 : i;
  if (drop === 0) return 0;
  let released = 0;
  for (let j = 0; j < drop; j++) released += versionBytes(versions[j]!);
  record.versions = versions.slice(drop);
  return released;
}

// Rough per-version overhead: the kv object, its event, the log entry and index slots.
const VERSION_OVERHEAD_BYTES = 96;

export function versionBytes(kv: KeyValue): number {
  return VERSION_OVERHEAD_BYTES + kv.key.length + kv.value.byteLength;
}
