import {
  BackendError,
  closedError,
  compactedError,
  futureRevisionError,
  isBackendError,
  type Backend,
  type BackendCapabilities,
  type BackendStatus,
  type BackendWatchResponse,
  type Config,
  type BackendCallOptions as CallOptions,
  type BackendDeleteOptions as DeleteOptions,
  type BackendGetOptions as GetOptions,
  type BackendListOptions as ListOptions,
  type BackendWatchOptions as WatchOptions,
  type GetResult,
  type Lease,
  type ListResult,
  type PutOptions,
  type TxnRequest,
  type TxnResponse,
  type TxnResult,
  checkTxnRequest,
} from '@storagebackend/core';
import { CompareResult, CompareTarget, type IRequestOp, type ITxnResponse } from 'etcd3';
import { EtcdClient, type CallControl } from './client/etcd-client.js';
import { encodeKey, prefixRange, toKeyValue, toNumber } from './client/kv.js';
import { withinBudget } from './call-budget.js';
import { CompactionTracker } from './compaction-tracker.js';
import { resolveClientOptions, type EtcdClientOptions } from './options.js';
import { detectOrderedProgress } from './server-features.js';
import { checkKey, checkLeaseId, checkRevision, checkTtl, checkValue } from './validate.js';
import { EtcdWatch, type WatchHost } from './watch/etcd-watch.js';
import { watchRange } from './watch/watch-range.js';
import { fromEtcdTxn, toEtcdTxn } from './txn-codec.js';

/**
 * Ranges over a prefix (list, count) get no deadline of their own: kube-apiserver bounds them only by the
 * request's context, and a large unpaged list can legitimately take longer than any fixed request timeout.
 */
const NO_DEADLINE = Number.POSITIVE_INFINITY;

// Limits are the server's to enforce: it may run with other --max-txn-ops / --max-request-bytes than the defaults.
const UNLIMITED = { maxOps: Number.MAX_SAFE_INTEGER, maxRequestBytes: Number.POSITIVE_INFINITY };
const ETCD_TEXT = /etcdserver: .*$/;

/** A refusal with etcd's own text, as every other driver reports it. */
function etcdTxnError(err: unknown): unknown {
  if (!isBackendError(err)) return err;
  if (err.code === 'LeaseNotFound') return new BackendError('LeaseNotFound', 'etcdserver: requested lease not found', { cause: err });
  const text = ETCD_TEXT.exec(err.message)?.[0];
  if (err.code === 'InvalidArgument' && text !== undefined) return new BackendError('InvalidArgument', text, { cause: err });
  return err;
}

/** One member's view, from its Maintenance.Status. */
export interface EndpointStatus {
  readonly dbSizeBytes: number;
  readonly revision: number;
  /** etcd server version, e.g. `3.4.23`. */
  readonly version: string;
}

/**
 * The etcd v3 Backend: the `client/v3/kubernetes` primitives (Get, List, Count, OptimisticPut/Delete as a
 * compare-on-mod-revision txn) plus raw watch streams, leases, compaction and status.
 *
 * `capabilities.requestProgress` is true only when every member runs etcd ≥ 3.4.31 (3.4), ≥ 3.5.13 (3.5) or
 * 3.6+, checked once by `Etcd3Backend.create` (the driver's `createBackend`); older servers answer progress
 * requests out of order (etcd#15220). There `requestProgress()` still makes every watch emit a progress
 * response, but only at the revision that watch has already delivered, which may lag the store.
 *
 * Aborting a write (`optimisticPut`, `optimisticDelete`, `grantLease`, `revokeLease`, `compact`) through its
 * signal, or its deadline passing, only stops waiting: etcd may still apply it, so the outcome is unknown
 * until read back.
 *
 * @example
 * const backend = await Etcd3Backend.create(config); // or: await etcd3Driver.createBackend(config)
 * const { succeeded, revision } = await backend.optimisticPut('/registry/pods/a', bytes, 0);
 */
export class Etcd3Backend implements Backend {
  readonly capabilities: BackendCapabilities;
  private readonly detected = { leases: true, progressNotify: true, requestProgress: false, txn: true, compaction: true };
  private readonly options: EtcdClientOptions;
  private readonly client: EtcdClient;
  private readonly compaction: CompactionTracker;
  private readonly watches = new Set<EtcdWatch>();
  private readonly watchHost: WatchHost;

  /**
   * Validates `config` (a `ConfigError('InvalidConfig')` when unusable) and connects lazily, assuming a server
   * without in-order progress answers (`requestProgress: false`); `create` checks the servers.
   */
  constructor(config: Config) {
    const options = resolveClientOptions(config);
    this.options = options;
    this.capabilities = this.detected;
    this.client = new EtcdClient(options);
    this.compaction = new CompactionTracker(this.client);
    const detected = this.detected;
    this.watchHost = {
      client: this.client,
      retryMaxDelayMs: options.watchRetryMaxDelayMs,
      reconnectBudgetMs: options.watchReconnectBudgetMs,
      get orderedProgress() {
        return detected.requestProgress;
      },
      register: (w) => this.watches.add(w),
      unregister: (w) => this.watches.delete(w),
      observeCompaction: (rev) => this.compaction.observe(rev),
    };
  }

  /**
   * A backend whose `capabilities.requestProgress` reflects the servers' versions (read with Maintenance.Status
   * within the request timeout; a member that does not answer counts as too old).
   */
  static async create(config: Config): Promise<Etcd3Backend> {
    const backend = new Etcd3Backend(config);
    backend.detected.requestProgress = await detectOrderedProgress(backend.client, backend.options.requestTimeoutMs);
    return backend;
  }

  /** The configured servers as given (e.g. `http://127.0.0.1:2379`), in `endpointStatus` index order. */
  get endpoints(): readonly string[] {
    return this.options.serverUrls;
  }

  async get(key: string, options: GetOptions = {}): Promise<GetResult> {
    checkKey(key);
    const revision = checkRevision(options.revision, 'revision');
    const res = await this.read(revision, options, () =>
      this.client.range({ key: encodeKey(key), revision: String(revision), limit: 1 }, options),
    );
    const kv = res.kvs[0];
    return { kv: kv === undefined ? null : toKeyValue(kv), revision: toNumber(res.header.revision) };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    if (typeof prefix !== 'string') throw new BackendError('InvalidArgument', 'prefix must be a string');
    const revision = checkRevision(options.revision, 'revision');
    const limit = checkRevision(options.limit, 'limit');
    const range = prefixRange(prefix);
    let start = range.key;
    if (options.continueKey !== undefined) {
      start = encodeKey(checkKey(options.continueKey, 'continueKey'));
      const unbounded = range.range_end.length === 1 && range.range_end[0] === 0;
      if (Buffer.compare(start, range.key) < 0 || (!unbounded && Buffer.compare(start, range.range_end) >= 0)) {
        throw new BackendError('InvalidArgument', `continueKey ${JSON.stringify(options.continueKey)} is outside prefix ${JSON.stringify(prefix)}`);
      }
    }
    const res = await this.read(revision, options, () =>
      this.client.range(
        { key: start, range_end: range.range_end, revision: String(revision), limit: String(limit) },
        { signal: options.signal, timeoutMs: NO_DEADLINE },
      ),
    );
    return { kvs: res.kvs.map((kv) => toKeyValue(kv)), count: toNumber(res.count), revision: toNumber(res.header.revision) };
  }

  async count(prefix: string, options: CallOptions = {}): Promise<number> {
    if (typeof prefix !== 'string') throw new BackendError('InvalidArgument', 'prefix must be a string');
    const res = await this.client.range({ ...prefixRange(prefix), count_only: true }, { signal: options.signal, timeoutMs: NO_DEADLINE });
    return toNumber(res.count);
  }

  async optimisticPut(key: string, value: Uint8Array, expectedModRevision: number, options: PutOptions = {}): Promise<TxnResult> {
    checkKey(key);
    const body = checkValue(value);
    const lease = options.leaseId === undefined ? '0' : checkLeaseId(options.leaseId);
    return this.optimistic(key, expectedModRevision, { request_put: { key: encodeKey(key), value: body, lease } }, options);
  }

  async optimisticDelete(key: string, expectedModRevision: number, options: DeleteOptions = {}): Promise<TxnResult> {
    checkKey(key);
    return this.optimistic(key, expectedModRevision, { request_delete_range: { key: encodeKey(key) } }, options);
  }

  /**
   * etcd's Txn, passed through: etcd validates, limits (`--max-txn-ops`, `--max-request-bytes`) and applies it, and its
   * refusals come back with etcd's own text. Malformed requests are refused here, before anything is sent.
   */
  async txn(request: TxnRequest, options: CallOptions = {}): Promise<TxnResponse> {
    if (this.client.isClosed) throw closedError();
    checkTxnRequest(request, UNLIMITED);
    try {
      return fromEtcdTxn(await this.client.txn(toEtcdTxn(request), options));
    } catch (err) {
      throw etcdTxnError(err);
    }
  }

  watch(key: string, options: WatchOptions): AsyncIterable<BackendWatchResponse> {
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<BackendWatchResponse> => {
        try {
          if (this.client.isClosed) throw closedError();
          if (typeof options !== 'object' || options === null) throw new BackendError('InvalidArgument', 'watch options are required');
          checkRevision(options.startRevision, 'startRevision', 1);
          const range = watchRange(key, options.prefix === true);
          return new EtcdWatch(this.watchHost, range, options);
        } catch (err) {
          return failedIterator(err);
        }
      },
    };
  }

  /**
   * Every open watch emits a progress response soon: at the store revision on servers that answer in order
   * (`capabilities.requestProgress`), otherwise at the revision the watch has delivered. A watch whose
   * `startRevision - 1` the store has not reached yet emits nothing.
   */
  async requestProgress(options: CallOptions = {}): Promise<void> {
    if (this.client.isClosed) throw closedError();
    options.signal?.throwIfAborted();
    for (const watch of this.watches) watch.requestProgress();
  }

  async grantLease(ttlSeconds: number, options: CallOptions = {}): Promise<Lease> {
    const ttl = checkTtl(ttlSeconds);
    const res = await this.client.leaseGrant({ TTL: ttl, ID: 0 }, options);
    if (res.error !== '') throw new BackendError('Internal', `etcd lease grant failed: ${res.error}`);
    return { id: String(res.ID), ttlSeconds: toNumber(res.TTL) };
  }

  async revokeLease(id: string, options: CallOptions = {}): Promise<void> {
    await this.client.leaseRevoke(checkLeaseId(id), options);
  }

  async compact(revision: number, options: CallOptions = {}): Promise<void> {
    const rev = checkRevision(revision, 'revision', 1);
    try {
      await this.client.compact({ revision: String(rev), physical: true }, options);
    } catch (err) {
      throw await this.withRevisions(err, rev - 1, options);
    }
    this.compaction.observe(rev);
  }

  async status(options: CallOptions = {}): Promise<BackendStatus> {
    const res = await this.client.status(options);
    const compactRevision = await withinBudget(options, this.options.requestTimeoutMs, 'compact revision lookup', (control) =>
      this.compaction.current(control),
    );
    return { dbSizeBytes: toNumber(res.dbSize), revision: toNumber(res.header.revision), compactRevision };
  }

  /** Status of one configured member (index into `endpoints`), for per-endpoint DB size metrics. */
  async endpointStatus(index: number, options: CallOptions = {}): Promise<EndpointStatus> {
    const res = await this.client.endpointStatus(index, options);
    return { dbSizeBytes: toNumber(res.dbSize), revision: toNumber(res.header.revision), version: res.version };
  }

  get isClosed(): boolean {
    return this.client.isClosed;
  }

  /** The best known compact revision without asking etcd. */
  get knownCompactRevision(): number {
    return this.compaction.knownRevision;
  }

  async close(): Promise<void> {
    for (const watch of [...this.watches]) watch.finish();
    this.client.close();
  }

  private async optimistic(key: string, expected: number, then: IRequestOp, options: PutOptions | DeleteOptions): Promise<TxnResult> {
    const modRevision = checkRevision(expected, 'expectedModRevision');
    const keyBytes = encodeKey(key);
    const res: ITxnResponse = await this.client.txn(
      {
        compare: [{ key: keyBytes, target: CompareTarget.Mod, result: CompareResult.Equal, mod_revision: String(modRevision) }],
        success: [then],
        failure: options.getOnFailure === true ? [{ request_range: { key: keyBytes } }] : [],
      },
      options,
    );
    const revision = toNumber(res.header.revision);
    if (res.succeeded || options.getOnFailure !== true) return { succeeded: res.succeeded, revision, kv: null };
    const kv = res.responses[0]?.response_range?.kvs[0];
    return { succeeded: false, revision, kv: kv === undefined ? null : toKeyValue(kv) };
  }

  /** Runs a read at `revision`, completing Compacted / FutureRevision errors with their revisions. */
  private async read<T>(revision: number, control: CallControl, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw await this.withRevisions(err, revision, control);
    }
  }

  /** Fills in the revision a Compacted / FutureRevision error lacks; all follow-up reads share one request timeout. */
  private async withRevisions(err: unknown, compactedBelow: number, control: CallControl): Promise<unknown> {
    if (!isBackendError(err)) return err;
    try {
      if (err.code === 'Compacted' && err.compactRevision === undefined) {
        const floor = await withinBudget(control, this.options.requestTimeoutMs, 'compact revision lookup', (c) =>
          this.compaction.find(compactedBelow, c),
        );
        return compactedError(floor, err.cause);
      }
      if (err.code === 'FutureRevision' && err.currentRevision === undefined) {
        const res = await withinBudget(control, this.options.requestTimeoutMs, 'revision lookup', (c) =>
          this.client.range({ key: Buffer.from([0]), count_only: true }, c),
        );
        return futureRevisionError(toNumber(res.header.revision));
      }
    } catch {
      // The follow-up reads failed or ran out of time: report the original error without the revision.
    }
    return err;
  }
}

function failedIterator(err: unknown): AsyncIterator<BackendWatchResponse> {
  let reported = false;
  return {
    next: () => {
      if (reported) return Promise.resolve({ value: undefined, done: true });
      reported = true;
      return Promise.reject(err);
    },
    return: () => Promise.resolve({ value: undefined, done: true }),
  };
}
