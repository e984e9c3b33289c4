import {
  BackendError,
  checkRequestBytes,
  closedError,
  optimisticPutBytes,
  prefixEnd,
  type Backend,
  type BackendCallOptions,
  type BackendCapabilities,
  type BackendDeleteOptions,
  type BackendGetOptions,
  type BackendListOptions,
  type BackendStatus,
  type BackendWatchOptions,
  type BackendWatchResponse,
  type GetResult,
  type KeyValue,
  type Lease,
  type ListResult,
  type PutOptions,
  type TxnResult,
} from '@storagebackend/core';
import { compact } from './compactor.js';
import type { RedisEngine } from './engine.js';
import { invalidArgument, leaseNotFound, revisionError } from './errors.js';
import { Feed } from './feed.js';
import { LeaseSweeper } from './lease-sweeper.js';
import { asBuffer, decodeRecord } from './record.js';
import { RedisWatch } from './redis-watch.js';
import { countArg, leaseArg, textArg, ttlArg, valueArg } from './validate.js';

const CAPABILITIES: BackendCapabilities = Object.freeze({ leases: true, progressNotify: true, requestProgress: true, compaction: true });

type TxnReply = [number, number, Buffer?];

/**
 * The Redis Backend: etcd v3 MVCC semantics in one keyspace (one hash tag) of a Redis server; every write is one
 * Lua script, watches follow the keyspace's stream.
 *
 * @example
 * const backend = await redisDriver.createBackend(config); // serverList: ['redis://127.0.0.1:6379/0']
 * const { revision } = await backend.optimisticPut('/registry/pods/a', bytes, 0);
 * for await (const response of backend.watch('/registry/pods/', { prefix: true, startRevision: revision })) { ... }
 */
export class RedisBackend implements Backend {
  readonly capabilities: BackendCapabilities = CAPABILITIES;
  readonly #engine: RedisEngine;
  readonly #feed: Feed;
  readonly #sweeper: LeaseSweeper;
  readonly #watches = new Set<RedisWatch>();
  readonly #progressTimer: NodeJS.Timeout;
  #closing: Promise<void> | null = null;

  constructor(engine: RedisEngine) {
    this.#engine = engine;
    this.#feed = new Feed(engine);
    this.#sweeper = new LeaseSweeper(engine);
    this.#sweeper.start();
    this.#progressTimer = setInterval(() => {
      for (const watch of this.#watches) if (watch.progressNotify) watch.progressTick();
    }, engine.settings.progressNotifyIntervalMs);
    this.#progressTimer.unref();
  }

  /** The endpoint, without any password. */
  get endpoint(): string {
    return this.#engine.endpoint.display;
  }

  async get(key: string, options: BackendGetOptions = {}): Promise<GetResult> {
    this.#enter(options.signal);
    const k = textArg(key, 'key', false);
    const revision = countArg(options.revision, 'revision', true);
    if (revision === 0) {
      const { revision: current, record } = await this.#engine.latest(k);
      return { kv: record ? decodeRecord(k, record) : null, revision: current };
    }
    const [current, rec] = (await this.#engine.call('sbGet', 'get', k, revision)) as [number, Buffer?];
    if (current < 0) throw revisionError(current, Number(rec));
    return { kv: rec ? decodeRecord(k, rec) : null, revision: current };
  }

  async list(prefix: string, options: BackendListOptions = {}): Promise<ListResult> {
    this.#enter(options.signal);
    const p = textArg(prefix, 'prefix', true);
    let from = p;
    if (options.continueKey !== undefined) {
      from = textArg(options.continueKey, 'continueKey', true);
      if (!from.startsWith(p)) throw invalidArgument(`continueKey ${JSON.stringify(from)} lies outside prefix ${JSON.stringify(p)}`);
    }
    const limit = countArg(options.limit, 'limit', true);
    let revision = countArg(options.revision, 'revision', true);
    const end = prefixEnd(p);
    const kvs: KeyValue[] = [];
    let count = 0;
    let current = -1;
    for (;;) {
      const remaining = limit === 0 ? 0 : limit > kvs.length ? limit - kvs.length : -1;
      const reply = (await this.#engine.call('sbList', 'list', from, revision, end, remaining, this.#engine.settings.pageBudget)) as unknown[];
      const head = reply[0] as number;
      if (head < 0) throw revisionError(head, Number(reply[1]));
      if (current < 0) current = head;
      revision = reply[1] as number;
      count += reply[2] as number;
      for (let i = 4; i < reply.length; i += 2) kvs.push(decodeRecord((reply[i] as Buffer).toString('utf8'), reply[i + 1] as Buffer));
      const next = (reply[3] as Buffer).toString('utf8');
      if (next === '') break;
      options.signal?.throwIfAborted();
      from = next;
    }
    return { kvs, count, revision: current };
  }

  async count(prefix: string, options: BackendCallOptions = {}): Promise<number> {
    this.#enter(options.signal);
    const p = textArg(prefix, 'prefix', true);
    return (await this.#engine.call('sbCount', 'count', p, prefixEnd(p))) as number;
  }

  async optimisticPut(key: string, value: Uint8Array, expectedModRevision: number, options: PutOptions = {}): Promise<TxnResult> {
    this.#enter(options.signal);
    const k = textArg(key, 'key', false);
    const bytes = asBuffer(valueArg(value));
    const expected = countArg(expectedModRevision, 'expectedModRevision');
    const lease = leaseArg(options.leaseId);
    const getOnFailure = options.getOnFailure === true;
    // The limit etcd applies, measured as etcd would, so an object fits in Redis exactly when it fits in etcd.
    checkRequestBytes(optimisticPutBytes(k, bytes.length, expected, lease, getOnFailure), this.#engine.settings.maxRequestBytes);
    const reply = (await this.#engine.call('sbPut', 'put', k, bytes, expected, lease, getOnFailure ? '1' : '0')) as TxnReply;
    return this.#txn(k, reply);
  }

  async optimisticDelete(key: string, expectedModRevision: number, options: BackendDeleteOptions = {}): Promise<TxnResult> {
    this.#enter(options.signal);
    const k = textArg(key, 'key', false);
    const expected = countArg(expectedModRevision, 'expectedModRevision');
    const reply = (await this.#engine.call('sbDelete', 'delete', k, expected, options.getOnFailure ? '1' : '0')) as TxnReply;
    return this.#txn(k, reply);
  }

  watch(key: string, options: BackendWatchOptions): AsyncIterable<BackendWatchResponse> {
    let error: BackendError | null = null;
    let spec = { key: '', prefix: false, startRevision: 0, prevKv: false, progressNotify: false };
    try {
      this.#enter(undefined);
      const prefix = options?.prefix === true;
      spec = {
        key: textArg(key, 'key', prefix),
        prefix,
        startRevision: countArg(options?.startRevision, 'startRevision'),
        prevKv: options?.prevKv === true,
        progressNotify: options?.progressNotify === true,
      };
    } catch (err) {
      error = err as BackendError;
    }
    const signal = options?.signal;
    const onAbort = (): void => watch.end();
    const watch: RedisWatch = new RedisWatch(this.#engine, this.#feed, spec, (ended) => {
      this.#watches.delete(ended);
      signal?.removeEventListener('abort', onAbort);
    }, error);
    if (error) return watch;
    if (signal?.aborted) {
      watch.end();
      return watch;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#watches.add(watch);
    return watch;
  }

  async requestProgress(options: BackendCallOptions = {}): Promise<void> {
    this.#enter(options.signal);
    const revision = (await this.#engine.call('sbRevision', 'request progress')) as number;
    for (const watch of this.#watches) watch.requestProgress(revision);
  }

  async grantLease(ttlSeconds: number, options: BackendCallOptions = {}): Promise<Lease> {
    this.#enter(options.signal);
    const ttl = ttlArg(ttlSeconds);
    const id = (await this.#engine.call('sbGrant', 'grant lease', ttl)) as number;
    this.#sweeper.poke(ttl * 1000);
    return { id: String(id), ttlSeconds: ttl };
  }

  async revokeLease(id: string, options: BackendCallOptions = {}): Promise<void> {
    this.#enter(options.signal);
    const lease = leaseArg(id);
    if (lease === '0') throw invalidArgument('lease id must not be 0');
    const [found] = (await this.#engine.call('sbRevoke', 'revoke lease', lease)) as [number];
    if (found === 0) throw leaseNotFound();
  }

  async compact(revision: number, options: BackendCallOptions = {}): Promise<void> {
    this.#enter(options.signal);
    const target = countArg(revision, 'revision');
    if (target === 0) throw invalidArgument('compact revision must be at least 1');
    await compact(this.#engine, target, options.signal);
  }

  async status(options: BackendCallOptions = {}): Promise<BackendStatus> {
    this.#enter(options.signal);
    const [revision, compactRevision, dbSizeBytes] = (await this.#engine.call('sbStatus', 'status')) as [number, number, number];
    return { dbSizeBytes, revision, compactRevision };
  }

  /** Ends the watches, stops the sweeper and closes the connections. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#progressTimer);
      this.#sweeper.stop();
      for (const watch of [...this.#watches]) watch.end();
      this.#feed.stop();
      await this.#engine.close();
    })();
    return this.#closing;
  }

  #txn(key: string, [ok, revision, rec]: TxnReply): TxnResult {
    if (ok === 1) return { succeeded: true, revision, kv: null };
    return { succeeded: false, revision, kv: rec ? decodeRecord(key, rec) : null };
  }

  #enter(signal: AbortSignal | undefined): void {
    if (this.#closing || this.#engine.closed) throw closedError();
    signal?.throwIfAborted();
  }
}
