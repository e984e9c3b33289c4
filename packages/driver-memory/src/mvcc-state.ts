import {
  BackendError,
  executeTxn,
  prefixEnd,
  compactedError,
  futureRevisionError,
  type BackendWatchEvent,
  type BackendWatchResponse,
  type Clock,
  type KeyValue,
  type Lease,
  type KeyInterval,
  type Timer,
  type TxnRequest,
  type TxnResponse,
  type TxnResult,
  type TxnView,
} from '@storagebackend/core';
import {
  compactRecord,
  latest,
  newKeyRecord,
  tombstone,
  versionBytes,
  visibleAt,
  type KeyRecord,
} from './key-record.js';
import { setLongTimer } from './long-timer.js';
import { sortKeyOf } from './sort-key.js';
import { SortedIndex } from './sorted-index.js';

/** The events of one revision, kept for watches until compaction passes them. */
export interface LogEntry {
  readonly revision: number;
  /** Events with prevKv filled in, in key order. */
  readonly events: readonly BackendWatchEvent[];
  /** Whole-revision responses, built on first use and shared by every watch that takes all the events. */
  withPrev?: BackendWatchResponse;
  withoutPrev?: BackendWatchResponse;
}

/** A watch, told about every write, compaction and the end of the state. */
export interface StateListener {
  onAppend(entry: LogEntry): void;
  /** Called before the log below `revision` is dropped. */
  onCompact(revision: number): void;
  onDispose(): void;
}

export interface ListPage {
  readonly kvs: KeyValue[];
  readonly count: number;
}

interface LeaseRecord {
  readonly id: string;
  readonly ttlSeconds: number;
  readonly keys: Set<KeyRecord>;
  readonly timer: Timer;
}

export function leaseNotFoundError(): BackendError {
  return new BackendError('LeaseNotFound', 'etcdserver: requested lease not found');
}

/**
 * One MVCC keyspace (what one etcd holds): keys with their history, the write log watches replay, leases.
 * Shared by every backend handle opened on the same name. All calls are synchronous; the caller validates input.
 */
export class MvccState {
  readonly clock: Clock;
  #revision = 1;
  #compactRevision = 0;
  readonly #records = new Map<string, KeyRecord>();
  #index = newIndex();
  // Records holding more than one live version: the only ones compaction has work on.
  readonly #dirty = new Set<KeyRecord>();
  #log: LogEntry[] = [];
  // Revision of #log[0]; revision 1 is the empty store and has no entry.
  #logStart = 2;
  readonly #leases = new Map<string, LeaseRecord>();
  #nextLeaseId = 1;
  readonly #listeners = new Set<StateListener>();
  #bytes = 0;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  get revision(): number {
    return this.#revision;
  }

  get compactRevision(): number {
    return this.#compactRevision;
  }

  /** The first revision that may have a log entry; the log holds every revision from here to the current one. */
  get logStart(): number {
    return this.#logStart;
  }

  get dbSizeBytes(): number {
    return this.#bytes;
  }

  entryAt(revision: number): LogEntry | undefined {
    return this.#log[revision - this.#logStart];
  }

  /** Resolves a read revision (0 = current), failing below the compact floor or beyond the current revision. */
  readRevision(requested: number): number {
    if (requested === 0) return this.#revision;
    if (requested < this.#compactRevision) throw compactedError(this.#compactRevision);
    if (requested > this.#revision) throw futureRevisionError(this.#revision);
    return requested;
  }

  get(key: string, revision: number): KeyValue | null {
    const record = this.#records.get(key);
    return record === undefined ? null : visibleAt(record, revision);
  }

  /** Live keys in `[from, end of prefix)` at `revision`, up to `limit` (0 = all), and how many there are in all. */
  list(prefix: string, from: string, revision: number, limit: number): ListPage {
    const kvs: KeyValue[] = [];
    const atCurrent = revision === this.#revision;
    let count = 0;
    // Keys starting with `prefix` are contiguous in byte order, so the scan stops at the first one that does not.
    this.#index.scan(sortKeyOf(from), (record) => {
      if (!record.key.startsWith(prefix)) return false;
      const kv = visibleAt(record, revision);
      if (kv === null) return true;
      count++;
      if (limit === 0 || kvs.length < limit) kvs.push(kv);
      // At the current revision the index counts live keys per chunk; past ones are counted key by key.
      return !atCurrent || limit === 0 || kvs.length < limit;
    });
    return { kvs, count: atCurrent && limit !== 0 && kvs.length === limit ? this.count(prefix, from) : count };
  }

  /** Live keys now in `[from, end of prefix)`. */
  count(prefix: string, from: string = prefix): number {
    const end = prefixEnd(prefix);
    return this.#index.countRange(sortKeyOf(from), end === '' ? null : sortKeyOf(end));
  }

  /** Writes `value` if the key's mod revision is `expected` (0 = absent); `leaseId` '0' means none. */
  put(key: string, value: Uint8Array, expected: number, leaseId: string, getOnFailure: boolean): TxnResult {
    const record = this.#records.get(key);
    const current = latest(record);
    if ((current === null ? 0 : current.modRevision) !== expected) {
      return { succeeded: false, revision: this.#revision, kv: getOnFailure ? current : null };
    }
    // etcd checks the lease only on the branch it runs, so a failed compare reports the compare, not the lease.
    if (leaseId !== '0' && !this.#leases.has(leaseId)) throw leaseNotFoundError();
    const revision = ++this.#revision;
    const kv: KeyValue = {
      key,
      // Kept as given, not copied: a copy costs as much as the encode that made it (see MemoryBackend).
      value,
      createRevision: current === null ? revision : current.createRevision,
      modRevision: revision,
      version: current === null ? 1 : current.version + 1,
      lease: leaseId,
    };
    let target = record;
    if (target === undefined) {
      target = newKeyRecord(key);
      this.#records.set(key, target);
      this.#addVersion(target, kv);
      this.#index.insert(target);
    } else {
      this.#addVersion(target, kv);
      if (current === null) this.#index.recount(target, true);
    }
    this.#moveLease(target, current, leaseId);
    this.#append(revision, [{ type: 'put', kv, prevKv: current }]);
    return { succeeded: true, revision, kv: null };
  }

  /** Deletes the key if its mod revision is `expected`; an absent key with expected 0 succeeds and writes nothing. */
  delete(key: string, expected: number, getOnFailure: boolean): TxnResult {
    const record = this.#records.get(key);
    const current = latest(record);
    if ((current === null ? 0 : current.modRevision) !== expected) {
      return { succeeded: false, revision: this.#revision, kv: getOnFailure ? current : null };
    }
    if (record === undefined || current === null) return { succeeded: true, revision: this.#revision, kv: null };
    const revision = ++this.#revision;
    this.#append(revision, [this.#deleteLive(record, current, revision)]);
    return { succeeded: true, revision, kv: null };
  }

  /** etcd's Txn (checked by the caller) through core's engine: one new revision, one log entry, events in op order. */
  txn(request: TxnRequest): TxnResponse {
    const events: BackendWatchEvent[] = [];
    const view: TxnView = {
      revision: this.#revision,
      compactRevision: this.#compactRevision,
      range: (interval, revision) => this.#range(interval, revision),
      leaseExists: (id) => this.#leases.has(id),
      put: (kv, previous) => {
        let record = this.#records.get(kv.key);
        if (record === undefined) {
          record = newKeyRecord(kv.key);
          this.#records.set(kv.key, record);
          this.#addVersion(record, kv);
          this.#index.insert(record);
        } else {
          this.#addVersion(record, kv);
          if (previous === null) this.#index.recount(record, true);
        }
        this.#moveLease(record, previous, kv.lease);
        events.push({ type: 'put', kv, prevKv: previous });
      },
      delete: (previous, revision) => {
        events.push(this.#deleteLive(this.#records.get(previous.key)!, previous, revision));
      },
    };
    const outcome = executeTxn(view, request);
    if (outcome.wrote) {
      this.#revision = outcome.revision;
      this.#append(outcome.revision, events);
    }
    return { succeeded: outcome.succeeded, revision: outcome.revision, responses: outcome.responses };
  }

  /** Live keys of an etcd interval at `revision`, in byte order. */
  #range(interval: KeyInterval, revision: number): KeyValue[] {
    if (interval.end === undefined) {
      const kv = this.get(interval.start, revision);
      return kv === null ? [] : [kv];
    }
    const end = interval.end === null ? null : sortKeyOf(interval.end);
    const kvs: KeyValue[] = [];
    this.#index.scan(sortKeyOf(interval.start), (record) => {
      if (end !== null && record.sortKey >= end) return false;
      const kv = visibleAt(record, revision);
      if (kv !== null) kvs.push(kv);
      return true;
    });
    return kvs;
  }

  grantLease(ttlSeconds: number): Lease {
    const id = String(this.#nextLeaseId++);
    const timer = setLongTimer(this.clock, () => this.revokeLease(id), ttlSeconds * 1000);
    this.#leases.set(id, { id, ttlSeconds, keys: new Set(), timer });
    return { id, ttlSeconds };
  }

  /** Deletes the lease and all its keys in one revision (none if it has no keys); false if unknown. */
  revokeLease(id: string): boolean {
    const lease = this.#leases.get(id);
    if (lease === undefined) return false;
    this.#leases.delete(id);
    lease.timer.cancel();
    if (lease.keys.size === 0) return true;
    const records = [...lease.keys].sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1));
    const revision = ++this.#revision;
    const events = records.map((record) => this.#deleteLive(record, latest(record)!, revision));
    this.#append(revision, events);
    return true;
  }

  /** Discards history below `revision`; reads at `revision` itself still work (etcd). */
  compact(revision: number): void {
    if (revision <= this.#compactRevision) throw compactedError(this.#compactRevision);
    if (revision > this.#revision) throw futureRevisionError(this.#revision);
    for (const listener of this.#listeners) listener.onCompact(revision);
    this.#compactRevision = revision;
    const drop = revision - this.#logStart;
    if (drop > 0) {
      this.#log = this.#log.slice(drop);
      this.#logStart = revision;
    }
    for (const record of this.#dirty) {
      this.#bytes -= compactRecord(record, revision);
      const versions = record.versions;
      if (versions.length === 0) {
        this.#records.delete(record.key);
        this.#index.remove(record);
        this.#dirty.delete(record);
      } else if (versions.length === 1 && versions[0]!.version !== 0) {
        this.#dirty.delete(record);
      }
    }
  }

  subscribe(listener: StateListener): void {
    this.#listeners.add(listener);
  }

  unsubscribe(listener: StateListener): void {
    this.#listeners.delete(listener);
  }

  /** Ends every watch and lease timer and lets go of the data. */
  dispose(): void {
    for (const lease of this.#leases.values()) lease.timer.cancel();
    this.#leases.clear();
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener.onDispose();
    this.#records.clear();
    this.#index = newIndex();
    this.#dirty.clear();
    this.#log = [];
  }

  #deleteLive(record: KeyRecord, current: KeyValue, revision: number): BackendWatchEvent {
    const kv = tombstone(record.key, revision);
    this.#addVersion(record, kv);
    this.#index.recount(record, false);
    this.#moveLease(record, current, '0');
    return { type: 'delete', kv, prevKv: current };
  }

  #addVersion(record: KeyRecord, kv: KeyValue): void {
    record.versions.push(kv);
    this.#bytes += versionBytes(kv);
    if (record.versions.length > 1) this.#dirty.add(record);
  }

  #moveLease(record: KeyRecord, previous: KeyValue | null, leaseId: string): void {
    const before = previous === null ? '0' : previous.lease;
    if (before === leaseId) return;
    if (before !== '0') this.#leases.get(before)?.keys.delete(record);
    if (leaseId !== '0') this.#leases.get(leaseId)?.keys.add(record);
  }

  #append(revision: number, events: readonly BackendWatchEvent[]): void {
    const entry: LogEntry = { revision, events };
    this.#log.push(entry);
    for (const listener of this.#listeners) listener.onAppend(entry);
  }
}

function newIndex(): SortedIndex<KeyRecord> {
  return new SortedIndex<KeyRecord>((record) => latest(record) !== null);
}
