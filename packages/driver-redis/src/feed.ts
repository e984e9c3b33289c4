import { BackendError, type BackendError as BackendErrorType } from '@storagebackend/core';
import type { Redis } from 'ioredis';
import type { RedisEngine } from './engine.js';
import { StoreEpochError, toBackendError } from './errors.js';
import { parseEntries, type StreamEntry } from './stream-entry.js';

/** What the feed pushes to. */
export interface FeedSink {
  /** Entries after the previous delivery, in revision order; `upTo` is the newest revision now known. */
  deliver(entries: readonly StreamEntry[], upTo: number): void;
  fail(error: BackendErrorType): void;
}

const BLOCK_MS = 500;
const READ_COUNT = 1000;

/**
 * One blocking XREAD loop per backend on a dedicated connection, fanned out to its watches. It resumes from the
 * last revision it delivered after a reconnect; the store epoch is checked after every read, so entries of a store
 * that lost its data are never delivered.
 */
export class Feed {
  readonly #engine: RedisEngine;
  readonly #sinks = new Set<FeedSink>();
  #conn: Redis | null = null;
  #started: Promise<void> | null = null;
  #lastRev = 0;
  #stopped = false;

  constructor(engine: RedisEngine) {
    this.#engine = engine;
  }

  /** Everything up to this revision has been delivered to live sinks. */
  get lastRev(): number {
    return this.#lastRev;
  }

  /** Adds a sink; resolves once the feed knows its position (the sink gets every entry after `lastRev`). */
  async add(sink: FeedSink): Promise<void> {
    this.#sinks.add(sink);
    this.#started ??= this.#start();
    try {
      await this.#started;
    } catch (err) {
      this.#sinks.delete(sink);
      this.#started = null;
      throw err;
    }
  }

  remove(sink: FeedSink): void {
    this.#sinks.delete(sink);
  }

  stop(): void {
    this.#stopped = true;
    this.#conn?.disconnect();
  }

  async #start(): Promise<void> {
    this.#lastRev = Number(await this.#engine.call('sbRevision', 'watch'));
    const conn = this.#engine.duplicate();
    this.#conn = conn;
    void this.#loop(conn);
  }

  async #loop(conn: Redis): Promise<void> {
    let failingSince = 0;
    const { watchReconnectTimeoutMs } = this.#engine.settings;
    while (!this.#stopped && !this.#engine.closed) {
      try {
        const reply = await conn.xreadBuffer('COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', this.#engine.logKey, `${this.#lastRev}-0`);
        // The epoch check after the read proves the entries belong to this store.
        await this.#engine.call('sbRevision', 'watch');
        failingSince = 0;
        const entries = reply ? parseEntries((reply as [Buffer, unknown][])[0]![1]) : [];
        const upTo = Math.max(this.#lastRev, entries.length > 0 ? entries[entries.length - 1]!.rev : 0);
        this.#lastRev = upTo;
        for (const sink of [...this.#sinks]) sink.deliver(entries, upTo);
      } catch (err) {
        if (this.#stopped || this.#engine.closed) break;
        const error = toBackendError(err, 'watch');
        const now = Date.now();
        if (failingSince === 0) failingSince = now;
        if (error instanceof StoreEpochError || !(error.code === 'Unreachable' || error.code === 'Timeout') || now - failingSince > watchReconnectTimeoutMs) {
          this.#failAll(error.code === 'Unreachable' ? new BackendError('Unreachable', `${error.message} (gave up after ${now - failingSince} ms)`, { cause: err }) : error);
          failingSince = 0;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    conn.disconnect();
  }

  #failAll(error: BackendErrorType): void {
    for (const sink of [...this.#sinks]) sink.fail(error);
    this.#sinks.clear();
  }
}
