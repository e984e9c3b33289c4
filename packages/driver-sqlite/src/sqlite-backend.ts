import {
  onAbort,
  BackendError,
  checkRequestBytes,
  closedError,
  optimisticPutBytes,
  type Backend,
  type BackendCapabilities,
  type BackendStatus,
  type BackendWatchOptions,
  type BackendWatchResponse,
  type BackendCallOptions,
  type Clock,
  type BackendDeleteOptions,
  type BackendGetOptions,
  type BackendListOptions,
  type GetResult,
  type Lease,
  type ListResult,
  type PutOptions,
  type TxnRequest,
  type TxnResponse,
  type TxnResult,
  checkTxnRequest,
} from '@storagebackend/core';
import type { SqliteEngine } from './engine.js';
import { invalidArgument } from './errors.js';
import { countLatest, getAt, getLatest, listAt } from './reads.js';
import { toBuffer } from './rows.js';
import * as check from './validate.js';
import { WatchStream } from './watch-stream.js';
import { deleteOp, grantOp, putOp, revokeOp } from './write-ops.js';
import { txnOp } from './txn-op.js';

const CAPABILITIES: BackendCapabilities = { leases: true, progressNotify: true, requestProgress: true, txn: true, compaction: true };

/**
 * The SQLite Backend: etcd v3 MVCC semantics on one SQLite file. Handles on the same file in one process share a
 * connection, write queue and revision sequence; other processes on the file are seen through polling.
 *
 * @example
 * const backend = await sqliteDriver.createBackend(config); // config.transport.serverList = ['/var/lib/app/state.db']
 * const { revision } = await backend.optimisticPut('/registry/pods/a', bytes, 0);
 * for await (const response of backend.watch('/registry/pods/', { prefix: true, startRevision: revision })) { ... }
 */
export class SqliteBackend implements Backend {
  readonly capabilities: BackendCapabilities = CAPABILITIES;
  /** The clock leases expire on (the driver's); the Store's lease reuse reads it too. */
  readonly clock: Clock;
  readonly #engine: SqliteEngine;
  readonly #release: () => Promise<void>;
  readonly #streams = new Set<WatchStream>();
  #closing: Promise<void> | null = null;

  constructor(engine: SqliteEngine, release: () => Promise<void>) {
    this.#engine = engine;
    this.clock = engine.clock;
    this.#release = release;
  }

  /** The database file (or `:memory:`) this backend stores into. */
  get path(): string {
    return this.#engine.path;
  }

  async get(key: string, options: BackendGetOptions = {}): Promise<GetResult> {
    this.#enter(options.signal);
    const k = check.checkKey(key);
    const revision = check.checkReadRevision(options.revision);
    const { stmts } = this.#engine;
    if (revision === 0) return this.#engine.read(() => getLatest(stmts, k));
    return this.#engine.read(() => this.#engine.snapshot(() => getAt(stmts, k, revision)));
  }

  async list(prefix: string, options: BackendListOptions = {}): Promise<ListResult> {
    this.#enter(options.signal);
    const p = check.checkPrefix(prefix);
    const revision = check.checkReadRevision(options.revision);
    const limit = check.checkLimit(options.limit);
    let start = p;
    if (options.continueKey !== undefined) {
      start = check.checkPrefix(options.continueKey, 'continueKey');
      if (!start.startsWith(p)) throw invalidArgument(`continueKey ${JSON.stringify(start)} lies outside prefix ${JSON.stringify(p)}`);
    }
    const { stmts } = this.#engine;
    return this.#engine.read(() => this.#engine.snapshot(() => listAt(stmts, p, start, revision, limit)));
  }

  async count(prefix: string, options: BackendCallOptions = {}): Promise<number> {
    this.#enter(options.signal);
    const p = check.checkPrefix(prefix);
    return this.#engine.read(() => countLatest(this.#engine.stmts, p));
  }

  async optimisticPut(key: string, value: Uint8Array, expectedModRevision: number, options: PutOptions = {}): Promise<TxnResult> {
    this.#enter(options.signal);
    const k = check.checkKey(key);
    const v = check.checkValue(value);
    const expected = check.checkExpectedRevision(expectedModRevision);
    const lease = check.checkLeaseId(options.leaseId);
    const getOnFailure = options.getOnFailure === true;
    // As etcd: a request over its size limit is refused before anything is written.
    checkRequestBytes(optimisticPutBytes(k, v.length, expected, String(lease), getOnFailure), this.#engine.settings.maxRequestBytes);
    return this.#engine.queue.submit(putOp(k, toBuffer(v), expected, lease, getOnFailure), options.signal);
  }

  async txn(request: TxnRequest, options: BackendCallOptions = {}): Promise<TxnResponse> {
    this.#enter(options.signal);
    const limits = { maxOps: this.#engine.settings.maxTxnOps, maxRequestBytes: this.#engine.settings.maxRequestBytes };
    // Refused before it joins a batch: nothing of a rejected transaction is ever written.
    checkTxnRequest(request, limits);
    return this.#engine.queue.submit(txnOp(request), options.signal);
  }

  async optimisticDelete(key: string, expectedModRevision: number, options: BackendDeleteOptions = {}): Promise<TxnResult> {
    this.#enter(options.signal);
    const op = deleteOp(check.checkKey(key), check.checkExpectedRevision(expectedModRevision), options.getOnFailure === true);
    return this.#engine.queue.submit(op, options.signal);
  }

  watch(key: string, options: BackendWatchOptions): AsyncIterable<BackendWatchResponse> {
    return { [Symbol.asyncIterator]: () => this.#openStream(key, options) };
  }

  async requestProgress(options: BackendCallOptions = {}): Promise<void> {
    this.#enter(options.signal);
    this.#engine.pollNow();
    for (const stream of this.#streams) stream.requestProgress();
  }

  async grantLease(ttlSeconds: number, options: BackendCallOptions = {}): Promise<Lease> {
    this.#enter(options.signal);
    return this.#engine.queue.submit(grantOp(check.checkTtl(ttlSeconds)), options.signal);
  }

  async revokeLease(id: string, options: BackendCallOptions = {}): Promise<void> {
    this.#enter(options.signal);
    const lease = check.checkLeaseId(id);
    if (lease === 0) throw invalidArgument('lease id must not be 0');
    return this.#engine.queue.submit(revokeOp(lease), options.signal);
  }

  async compact(revision: number, options: BackendCallOptions = {}): Promise<void> {
    this.#enter(options.signal);
    const target = check.checkPositiveRevision(revision, 'compaction revision');
    try {
      await this.#engine.compactor.compact(target, options.signal);
    } catch (err) {
      // The floor is raised; an interrupted clean-up resumes when the file is next opened.
      if (!(err instanceof BackendError && err.code === 'Closed')) throw err;
    }
  }

  async status(options: BackendCallOptions = {}): Promise<BackendStatus> {
    this.#enter(options.signal);
    return this.#engine.status();
  }

  /** Ends this handle's watches; the file is closed when the last handle on it closes. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const stream of [...this.#streams]) stream.end();
      await this.#release();
    })();
    return this.#closing;
  }

  #enter(signal: AbortSignal | undefined): void {
    if (this.#closing || this.#engine.closed) throw closedError();
    signal?.throwIfAborted();
  }

  #openStream(key: string, options: BackendWatchOptions): WatchStream {
    let error: BackendError | null = null;
    let spec = { key: '', prefix: false, startRevision: 1, prevKv: false, progressNotify: false };
    try {
      this.#enter(undefined);
      const prefix = options?.prefix === true;
      spec = {
        key: prefix ? check.checkPrefix(key, 'key') : check.checkKey(key),
        prefix,
        startRevision: check.checkPositiveRevision(options?.startRevision, 'startRevision'),
        prevKv: options.prevKv === true,
        progressNotify: options.progressNotify === true,
      };
    } catch (err) {
      error = err as BackendError;
    }
    const signal = options?.signal;
    let offAbort = (): void => undefined;
    const stream: WatchStream = new WatchStream(
      this.#engine,
      spec,
      (ended) => {
        this.#streams.delete(ended);
        this.#engine.removeStream(ended);
        offAbort();
      },
      error,
    );
    if (error) return stream;
    if (signal?.aborted) {
      stream.end();
      return stream;
    }
    // One shared listener per signal (core's onAbort): apps pass one shutdown signal to every watch.
    if (signal) offAbort = onAbort(signal, () => stream.end());
    this.#streams.add(stream);
    this.#engine.addStream(stream);
    return stream;
  }
}
