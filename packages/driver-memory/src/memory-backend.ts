import {
  closedError,
  compactedError,
  systemClock,
  type Backend,
  type BackendCallOptions,
  type BackendCapabilities,
  type BackendDeleteOptions,
  type BackendGetOptions,
  type BackendListOptions,
  type BackendStatus,
  type BackendWatchOptions,
  type BackendWatchResponse,
  type Clock,
  type GetResult,
  type Lease,
  type ListResult,
  type PutOptions,
  type TxnRequest,
  type TxnResponse,
  type TxnResult,
  checkRequestBytes,
  checkTxnRequest,
  DEFAULT_TXN_LIMITS,
  optimisticPutBytes,
  type TxnLimits,
} from '@storagebackend/core';
import { EndedWatch, MemoryWatch } from './memory-watch.js';
import { leaseNotFoundError, MvccState } from './mvcc-state.js';
import { checkPositiveInteger, checkProgressInterval, DEFAULT_PROGRESS_NOTIFY_INTERVAL_MS } from './options.js';
import {
  checkKey,
  checkLeaseId,
  checkPrefix,
  checkValue,
  checkWritableKey,
  invalidArgument,
  leaseIdOption,
  leaseTtl,
  nonNegativeInteger,
} from './validate.js';

/**
 * Options of a directly constructed MemoryBackend.
 *
 * @example
 * const clock = new ManualClock();
 * const backend = new MemoryBackend({ clock, progressNotifyIntervalMs: 100 });
 */
export interface MemoryBackendOptions {
  /** Time source for lease expiry and progress notifications; default `systemClock`. */
  readonly clock?: Clock;
  /** How often an idle watch with `progressNotify` gets a progress response; default 10 minutes, like etcd. */
  readonly progressNotifyIntervalMs?: number;
  /** etcd's `--max-request-bytes`; default 1.5 MiB. Writes larger than this fail `RequestTooLarge`, as on etcd. */
  readonly maxRequestBytes?: number;
  /** etcd's `--max-txn-ops`; default 128. */
  readonly maxTxnOps?: number;
}

const CAPABILITIES: BackendCapabilities = Object.freeze({
  leases: true,
  progressNotify: true,
  requestProgress: true,
  txn: true,
  compaction: true,
});

const ATTACH = Symbol('attach');

interface Attachment {
  readonly state: MvccState;
  readonly release: () => void;
}

/** A handle on `state` that calls `release` once when closed; how the driver shares one store by name. */
export function attachMemoryBackend(state: MvccState, release: () => void, options: MemoryBackendOptions): MemoryBackend {
  const attachment: Attachment = { state, release };
  return new MemoryBackend({ ...options, [ATTACH]: attachment } as MemoryBackendOptions);
}

/**
 * An in-process MVCC backend with etcd v3 semantics. Constructed directly it owns a private store; through
 * `memoryDriver` it shares the store of its name. Values are not copied, in either direction: the store keeps the
 * Uint8Array a write was given and reads return it, so neither the writer nor readers may modify it afterwards.
 *
 * @example
 * const backend = new MemoryBackend({ clock: new ManualClock() });
 * const { revision } = await backend.optimisticPut('/registry/pods/a', new TextEncoder().encode('{}'), 0);
 * const { kv } = await backend.get('/registry/pods/a'); // kv.modRevision === revision
 */
export class MemoryBackend implements Backend {
  readonly capabilities: BackendCapabilities = CAPABILITIES;
  /** The clock leases expire on; the Store's lease reuse reads it too. */
  readonly clock: Clock;
  readonly #state: MvccState;
  readonly #release: () => void;
  readonly #progressIntervalMs: number;
  readonly #watches = new Set<MemoryWatch>();
  #closed = false;
  readonly #limits: TxnLimits;

  constructor(options: MemoryBackendOptions = {}) {
    this.#progressIntervalMs =
      options.progressNotifyIntervalMs === undefined
        ? DEFAULT_PROGRESS_NOTIFY_INTERVAL_MS
        : checkProgressInterval(options.progressNotifyIntervalMs, 'progressNotifyIntervalMs');
    const attachment = (options as { [ATTACH]?: Attachment })[ATTACH];
    if (attachment === undefined) {
      const state = new MvccState(options.clock ?? systemClock);
      this.#state = state;
      this.#release = () => state.dispose();
    } else {
      this.#state = attachment.state;
      this.#release = attachment.release;
    }
    this.clock = this.#state.clock;
    this.#limits = {
      maxOps: options.maxTxnOps === undefined ? DEFAULT_TXN_LIMITS.maxOps : checkPositiveInteger(options.maxTxnOps, 'maxTxnOps'),
      maxRequestBytes:
        options.maxRequestBytes === undefined
          ? DEFAULT_TXN_LIMITS.maxRequestBytes
          : checkPositiveInteger(options.maxRequestBytes, 'maxRequestBytes'),
    };
  }

  async get(key: string, options?: BackendGetOptions): Promise<GetResult> {
    this.#enter(options?.signal);
    checkKey(key);
    const state = this.#state;
    const revision = state.readRevision(nonNegativeInteger(options?.revision, 'revision'));
    return { kv: state.get(key, revision), revision: state.revision };
  }

  async list(prefix: string, options: BackendListOptions = {}): Promise<ListResult> {
    this.#enter(options.signal);
    checkPrefix(prefix);
    const { continueKey } = options;
    if (continueKey !== undefined) {
      checkPrefix(continueKey, 'continueKey');
      if (!continueKey.startsWith(prefix)) {
        throw invalidArgument(`continueKey ${JSON.stringify(continueKey)} lies outside prefix ${JSON.stringify(prefix)}`);
      }
    }
    const limit = nonNegativeInteger(options.limit, 'limit');
    const state = this.#state;
    const revision = state.readRevision(nonNegativeInteger(options.revision, 'revision'));
    const page = state.list(prefix, continueKey ?? prefix, revision, limit);
    return { kvs: page.kvs, count: page.count, revision: state.revision };
  }

  async count(prefix: string, options?: BackendCallOptions): Promise<number> {
    this.#enter(options?.signal);
    checkPrefix(prefix);
    const state = this.#state;
    return state.count(prefix);
  }

  async optimisticPut(
    key: string,
    value: Uint8Array,
    expectedModRevision: number,
    options?: PutOptions,
  ): Promise<TxnResult> {
    this.#enter(options?.signal);
    checkWritableKey(key);
    checkValue(value);
    const expected = nonNegativeInteger(expectedModRevision, 'expectedModRevision');
    const leaseId = leaseIdOption(options?.leaseId);
    const getOnFailure = options?.getOnFailure === true;
    checkRequestBytes(optimisticPutBytes(key, value.length, expected, leaseId, getOnFailure), this.#limits.maxRequestBytes);
    return this.#state.put(key, value, expected, leaseId, options?.getOnFailure === true);
  }

  async txn(request: TxnRequest, options?: BackendCallOptions): Promise<TxnResponse> {
    this.#enter(options?.signal);
    checkTxnRequest(request, this.#limits);
    return this.#state.txn(request);
  }

  async optimisticDelete(key: string, expectedModRevision: number, options?: BackendDeleteOptions): Promise<TxnResult> {
    this.#enter(options?.signal);
    checkKey(key);
    const expected = nonNegativeInteger(expectedModRevision, 'expectedModRevision');
    return this.#state.delete(key, expected, options?.getOnFailure === true);
  }

  watch(key: string, options: BackendWatchOptions): AsyncIterable<BackendWatchResponse> {
    const signal = options?.signal;
    if (signal?.aborted) return new EndedWatch();
    if (this.#closed) return new EndedWatch(closedError());
    const prefix = options?.prefix === true;
    let start: number;
    try {
      if (prefix) checkPrefix(key, 'key');
      else checkKey(key);
      start = nonNegativeInteger(options?.startRevision, 'startRevision');
    } catch (err) {
      return new EndedWatch(err);
    }
    const state = this.#state;
    // etcd: a watch may start exactly at the compact revision; below it the history is gone.
    if (start !== 0 && start < state.compactRevision) return new EndedWatch(compactedError(state.compactRevision));
    const watch = new MemoryWatch({
      state,
      key,
      prefix,
      prevKv: options.prevKv === true,
      // 0 means "from now", as in etcd.
      startRevision: start === 0 ? state.revision + 1 : start,
      progressIntervalMs: options.progressNotify === true ? this.#progressIntervalMs : 0,
      signal,
      onEnd: (w) => this.#watches.delete(w),
    });
    this.#watches.add(watch);
    return watch;
  }

  async requestProgress(options?: BackendCallOptions): Promise<void> {
    this.#enter(options?.signal);
    for (const watch of [...this.#watches]) watch.requestProgress();
  }

  async grantLease(ttlSeconds: number, options?: BackendCallOptions): Promise<Lease> {
    this.#enter(options?.signal);
    return this.#state.grantLease(leaseTtl(ttlSeconds));
  }

  async revokeLease(id: string, options?: BackendCallOptions): Promise<void> {
    this.#enter(options?.signal);
    checkLeaseId(id);
    if (!this.#state.revokeLease(id)) throw leaseNotFoundError();
  }

  async compact(revision: number, options?: BackendCallOptions): Promise<void> {
    this.#enter(options?.signal);
    const target = nonNegativeInteger(revision, 'revision');
    if (target === 0) throw invalidArgument('compact revision must be at least 1');
    this.#state.compact(target);
  }

  async status(options?: BackendCallOptions): Promise<BackendStatus> {
    this.#enter(options?.signal);
    const state = this.#state;
    return { dbSizeBytes: state.dbSizeBytes, revision: state.revision, compactRevision: state.compactRevision };
  }

  /** Ends this handle's watches and lets go of the store (dropped when its last handle closes). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const watch of [...this.#watches]) watch.end();
    this.#release();
  }

  #enter(signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    if (this.#closed) throw closedError();
  }
}
