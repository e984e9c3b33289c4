import type { Clock } from '../clock.js';
import type { TxnRequest, TxnResponse } from './txn.js';

/**
 * One stored key at one revision, as a driver returns it.
 *
 * @example
 * const { kv } = await backend.get('/registry/pods/default/web-0');
 * if (kv) console.log(kv.modRevision, new TextDecoder().decode(kv.value));
 */
export interface KeyValue {
  readonly key: string;
  readonly value: Uint8Array;
  /** Revision of the write that created this incarnation of the key. */
  readonly createRevision: number;
  /** Revision of the last write to the key; the object's resourceVersion. */
  readonly modRevision: number;
  /** Writes since creation, starting at 1 (etcd's version). */
  readonly version: number;
  /** Attached lease id as a decimal string; '0' when none. */
  readonly lease: string;
}

/** Options shared by every backend call. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface GetOptions extends CallOptions {
  /** Read at this past revision; 0 or absent reads the latest. */
  readonly revision?: number;
}

export interface GetResult {
  readonly kv: KeyValue | null;
  /** The store's current revision (or the requested one); never bumped by the read. */
  readonly revision: number;
}

export interface ListOptions extends CallOptions {
  readonly revision?: number;
  /** Maximum number of kvs to return; 0 or absent means no limit. */
  readonly limit?: number;
  /** Start of the range (inclusive) instead of the prefix itself; must lie within the prefix. */
  readonly continueKey?: string;
}

export interface ListResult {
  readonly kvs: readonly KeyValue[];
  /** Number of keys in `[continueKey ?? prefix, end of prefix)` at that revision, not just the returned ones. */
  readonly count: number;
  readonly revision: number;
}

export interface PutOptions extends CallOptions {
  /** Lease to attach; '0' or absent detaches any lease (etcd semantics). */
  readonly leaseId?: string;
  /** On a failed compare, return the key's current value in `kv`. */
  readonly getOnFailure?: boolean;
}

export interface DeleteOptions extends CallOptions {
  readonly getOnFailure?: boolean;
}

export interface TxnResult {
  readonly succeeded: boolean;
  /** On success the write's revision; on failure the current revision. */
  readonly revision: number;
  /** On failure with getOnFailure: the current value, null when absent. On success: null. */
  readonly kv: KeyValue | null;
}

export interface WatchOptions extends CallOptions {
  /** Treat the key as a prefix. */
  readonly prefix?: boolean;
  /** First revision to deliver (inclusive, etcd semantics). Must be ≥ 1. */
  readonly startRevision: number;
  /** Include the previous value on put and delete events. */
  readonly prevKv?: boolean;
  /** Ask for periodic progress notifications while idle. */
  readonly progressNotify?: boolean;
}

export type WatchEventType = 'put' | 'delete';

export interface BackendWatchEvent {
  readonly type: WatchEventType;
  /** For a delete: the key with an empty value and modRevision = the delete's revision. */
  readonly kv: KeyValue;
  /** Previous value when prevKv was requested and it is still retained; null otherwise. */
  readonly prevKv: KeyValue | null;
}

/**
 * One watch response: events of one or more whole revisions, in order, or a progress notification
 * (no events, `progressNotify: true`, `revision` = the store revision all earlier events are covered by).
 */
export interface BackendWatchResponse {
  readonly revision: number;
  readonly events: readonly BackendWatchEvent[];
  readonly progressNotify?: boolean;
}

export interface Lease {
  readonly id: string;
  readonly ttlSeconds: number;
}

export interface BackendStatus {
  readonly dbSizeBytes: number;
  readonly revision: number;
  readonly compactRevision: number;
}

/**
 * What a backend can do; the conformance kit reads it to decide which tests apply, and checks it is honest.
 *
 * @example
 * const capabilities: BackendCapabilities = { leases: true, progressNotify: true, requestProgress: true, compaction: true };
 */
export interface BackendCapabilities {
  /** Leases expire on their own and delete their keys with ordinary delete events. */
  readonly leases: boolean;
  /** Watches with `progressNotify` receive periodic progress responses while idle. */
  readonly progressNotify: boolean;
  /** `requestProgress()` makes every watch of this backend emit a progress response. */
  readonly requestProgress: boolean;
  /** `compact()` discards history; reads and watches below the floor fail with `Compacted`. */
  readonly compaction: boolean;
  /** `txn()` runs etcd's general transaction (compares, puts, range deletes, ranges, nested txns). */
  readonly txn?: boolean;
}

/**
 * The MVCC key-value contract every driver implements, modelled on etcd v3.
 * Revisions are one global, dense, strictly increasing integer; every successful put or delete takes the next
 * one; reads, failed compares and deletes of absent keys take none. A lease's expiry deletes all its keys in
 * one revision.
 *
 * @example
 * const backend = await memoryDriver.createBackend(config);
 * const created = await backend.optimisticPut('/registry/pods/a', bytes, 0);
 * const { kv } = await backend.get('/registry/pods/a');
 */
export interface Backend {
  readonly capabilities: BackendCapabilities;
  /** The time source lease expiry runs on, when the driver has one (the Store's lease reuse must agree with it). */
  readonly clock?: Clock;
  get(key: string, options?: GetOptions): Promise<GetResult>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  count(prefix: string, options?: CallOptions): Promise<number>;
  /**
   * Writes only if the key's mod revision equals `expectedModRevision` (0 = must not exist). The backend may keep
   * `value` without copying it: callers hand it over and must not modify it afterwards (the Store never does), and
   * values returned by reads and watches are shared and must be treated as read-only (a read's values may be
   * views into the response they came in: copy one you keep for long).
   */
  optimisticPut(key: string, value: Uint8Array, expectedModRevision: number, options?: PutOptions): Promise<TxnResult>;
  optimisticDelete(key: string, expectedModRevision: number, options?: DeleteOptions): Promise<TxnResult>;
  /**
   * etcd's Txn, present when `capabilities.txn` is true: one revision for all its writes (none when it writes
   * nothing), watch events in operation order, etcd's validation and error texts, nothing written on a refusal.
   */
  txn?(request: TxnRequest, options?: CallOptions): Promise<TxnResponse>;
  /**
   * Events in revision order from `startRevision` with nothing lost or repeated. A compacted start fails the
   * first `next()` with a `Compacted` BackendError; aborting `signal` ends the iteration without error.
   */
  watch(key: string, options: WatchOptions): AsyncIterable<BackendWatchResponse>;
  /** Every open watch of this backend emits a progress response soon. */
  requestProgress(options?: CallOptions): Promise<void>;
  grantLease(ttlSeconds: number, options?: CallOptions): Promise<Lease>;
  /** Deletes the lease's keys in one revision; an unknown lease fails with `LeaseNotFound`. */
  revokeLease(id: string, options?: CallOptions): Promise<void>;
  /** Discards history below `revision`; fails `Compacted` if already compacted past it, `FutureRevision` if ahead. */
  compact(revision: number, options?: CallOptions): Promise<void>;
  status(options?: CallOptions): Promise<BackendStatus>;
  close(): Promise<void>;
}
