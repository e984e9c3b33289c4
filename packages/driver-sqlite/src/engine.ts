import type Database from 'better-sqlite3';
import { BackendError, type BackendStatus, type Clock, type Timer } from '@storagebackend/core';
import { Compactor } from './compactor.js';
import { isBusy, toBackendError } from './errors.js';
import { Feed } from './feed.js';
import { LeaseSweeper } from './lease-sweeper.js';
import { openDatabase } from './open-database.js';
import type { SqliteSettings } from './options.js';
import { prepareStatements, type Statements } from './statements.js';
import type { WatchHost, WatchStream } from './watch-stream.js';
import { yieldToEventLoop } from './event-loop.js';
import { expireDueOp, expireLeaseOp } from './write-ops.js';
import { WriteQueue, type PendingWrite } from './write-queue.js';
import { WriteTx } from './write-tx.js';

/** Overdue leases expired per transaction when the file opens. */
const OVERDUE_PER_BATCH = 100;
/**
 * Compaction waits this long at most (else two poll intervals) before removing revisions other processes, polling
 * as often as this one, may not have read yet.
 */
const MAX_COMPACTION_GRACE_MS = 1000;
/** Heads remembered, one per poll. */
const HEAD_SAMPLES = 3;
/** A lease whose expiry failed (e.g. another process held the lock too long) is tried again this much later. */
const EXPIRY_FAILED_RETRY_MS = 1000;

/**
 * One open database file shared by every backend handle on it in this process: one connection, one write queue
 * (group commit), one feed for watchers, one lease sweeper and one poller for other processes' writes.
 */
export class SqliteEngine implements WatchHost {
  readonly path: string;
  readonly settings: SqliteSettings;
  readonly stmts: Statements;
  readonly feed: Feed;
  readonly queue: WriteQueue;
  readonly compactor: Compactor;
  /** The time source lease expiry and progress notifications run on. */
  readonly clock: Clock;
  readonly #db: Database.Database;
  readonly #sweeper: LeaseSweeper;
  readonly #streams = new Set<WatchStream>();
  readonly #readTxn: (fn: () => unknown) => unknown;
  readonly #writeTxn: { immediate: (batch: readonly PendingWrite[]) => WriteTx };
  #dataVersion: number;
  /** Other connections committed since we last looked for leases they granted. */
  #othersWrote = false;
  #pollTimer: NodeJS.Timeout | null = null;
  /** The head as of the last HEAD_SAMPLES polls, oldest first. */
  readonly #recentHeads: number[] = [];
  #progressTimer: Timer | null = null;
  #closing: Promise<void> | null = null;

  /**
   * Opens the file (waiting for other processes' locks without blocking the event loop) and expires the leases
   * that fell due while it was closed, through the write queue.
   */
  static async open(path: string, settings: SqliteSettings, clock: Clock): Promise<SqliteEngine> {
    const db = await openDatabase(path, settings, clock.now());
    const engine = new SqliteEngine(path, settings, clock, db);
    await engine.#expireOverdue();
    return engine;
  }

  private constructor(path: string, settings: SqliteSettings, clock: Clock, db: Database.Database) {
    this.path = path;
    this.settings = settings;
    this.clock = clock;
    this.#db = db;
    try {
      this.stmts = prepareStatements(this.#db);
      this.#readTxn = this.#db.transaction((fn: () => unknown) => fn());
      this.#writeTxn = this.#db.transaction((batch: readonly PendingWrite[]) => this.#runBatch(batch));
      this.feed = new Feed(this.stmts, this.stmts.head.get()!.rev);
      this.#dataVersion = this.stmts.dataVersion.get()!.data_version;
      this.queue = new WriteQueue((batch) => this.#execute(batch), settings.busyTimeoutMs);
      this.compactor = new Compactor(this.#db, this.stmts, this.queue, settings.compactBatchSize, {
        ms: Math.min(2 * settings.pollIntervalMs, MAX_COMPACTION_GRACE_MS),
        // Sampled once per poll: the oldest sample is at least two poll intervals old.
        settled: () => (this.#recentHeads.length === HEAD_SAMPLES ? this.#recentHeads[0]! : 0),
      });
      this.#sweeper = new LeaseSweeper(
        clock,
        (id) => this.stmts.leasesAfter.all(id),
        (id, fromTimer) => this.#sweep(id, fromTimer),
      );
      if (this.compactor.pending()) this.compactor.cleanup().catch(() => undefined);
    } catch (err) {
      this.#db.close();
      throw toBackendError(err, `opening ${path}`);
    }
    this.#schedulePoll();
  }

  get closed(): boolean {
    return this.#closing !== null;
  }

  snapshot<T>(fn: () => T): T {
    return this.#readTxn(fn) as T;
  }

  /** Runs a synchronous read; if another process briefly locks the file, retries without blocking the loop. */
  async read<T>(fn: () => T): Promise<T> {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err)) throw toBackendError(err, 'read');
    }
    const deadline = Date.now() + this.settings.busyTimeoutMs;
    for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        return fn();
      } catch (err) {
        if (!isBusy(err) || Date.now() >= deadline) throw toBackendError(err, 'read');
      }
    }
  }

  /** Delivers writes committed by other connections now instead of at the next poll. */
  pollNow(): void {
    if (this.closed) return;
    try {
      this.#followOthers();
    } catch (err) {
      this.#followFailed(err);
      return;
    }
    this.#discoverLeases();
  }

  addStream(stream: WatchStream): void {
    this.#streams.add(stream);
    // An open watch keeps the process alive (as a watch stream on an etcd connection does); polling is its work.
    this.#pollTimer?.ref();
    if (stream.progressNotify) this.#armProgress();
  }

  removeStream(stream: WatchStream): void {
    this.#streams.delete(stream);
    if (this.#streams.size === 0) this.#pollTimer?.unref();
  }

  async status(): Promise<BackendStatus> {
    return this.read(() =>
      this.snapshot(() => {
        const { rev, floor } = this.stmts.headAndFloor.get()!;
        const pages = this.stmts.pageCount.get()!.page_count;
        return { dbSizeBytes: pages * this.stmts.pageSize.get()!.page_size, revision: rev, compactRevision: floor };
      }),
    );
  }

  /** Integrity check for tests and operators: 'ok' or SQLite's list of problems. */
  integrityCheck(): string {
    return (this.#db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('\n');
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#progressTimer?.cancel();
    this.#sweeper.stop();
    await this.queue.close();
    for (const stream of [...this.#streams]) stream.end();
    this.feed.clear();
    try {
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Another process is using the file; it will checkpoint.
    }
    this.#db.close();
  }

  #execute(batch: readonly PendingWrite[]): () => void {
    // Catch up on other connections before taking the write lock, so what is left to do under it is small.
    try {
      this.#followOthers();
    } catch (err) {
      this.#followFailed(err);
    }
    const tx = this.#writeTxn.immediate(batch);
    return () => this.#afterCommit(tx, batch);
  }

  #runBatch(batch: readonly PendingWrite[]): WriteTx {
    const { rev, floor } = this.stmts.headAndFloor.get()!;
    // Revisions other processes committed since we last looked go out before ours (a bounded amount: see Feed).
    this.feed.catchUp(rev, floor);
    const tx = new WriteTx(this.stmts, rev, floor, this.clock.now());
    for (const op of batch) {
      try {
        op.outcome = { ok: true, value: op.run(tx) };
      } catch (err) {
        if (!(err instanceof BackendError)) throw err;
        op.outcome = { ok: false, error: err };
      }
    }
    return tx;
  }

  #afterCommit(tx: WriteTx, batch: readonly PendingWrite[]): void {
    this.feed.publish(tx.events, tx.revision);
    for (const op of batch) {
      const outcome = op.outcome!;
      if (outcome.ok) op.resolve(outcome.value);
      else op.reject(outcome.error);
    }
    for (const { id, ms } of tx.leaseTimers) {
      if (ms === null) this.#sweeper.forget(id);
      else this.#sweeper.track(id, ms);
    }
    this.#discoverLeases();
  }

  /** If other connections committed since we last looked, publishes their revisions (in a read snapshot). */
  #followOthers(): void {
    const version = this.stmts.dataVersion.get()!.data_version;
    if (version === this.#dataVersion) return;
    this.snapshot(() => {
      const { rev, floor } = this.stmts.headAndFloor.get()!;
      this.feed.catchUp(rev, floor);
    });
    this.#dataVersion = version;
    this.#othersWrote = true;
  }

  #followFailed(err: unknown): void {
    // Busy: the next poll or write tries again. Anything else would leave live watchers waiting forever.
    if (!isBusy(err)) this.feed.failAll(toBackendError(err, "following other connections' writes"));
  }

  /** Arms timers for leases granted by other connections since we last looked. */
  #discoverLeases(): void {
    if (!this.#othersWrote) return;
    this.#othersWrote = false;
    try {
      this.#sweeper.trackNew();
    } catch {
      // Busy or similar: look again after the next write or poll.
      this.#othersWrote = true;
    }
  }

  /** Leases overdue at open are expired a batch at a time through the queue, never synchronously. */
  async #expireOverdue(): Promise<void> {
    try {
      // More may be due; let timers and I/O run between batches.
      while ((await this.queue.submit(expireDueOp(OVERDUE_PER_BATCH))) === OVERDUE_PER_BATCH) await yieldToEventLoop();
    } catch {
      // Another process held the lock too long, or similar: the timers armed below retry at once.
    }
    this.#othersWrote = true;
    this.#discoverLeases();
  }

  #sweep(id: number, fromTimer: boolean): void {
    this.queue.submit(expireLeaseOp(id)).catch(() => this.#sweeper.track(id, EXPIRY_FAILED_RETRY_MS));
    // Expire synchronously when possible, so a ManualClock.advance() has taken effect when it returns.
    if (fromTimer) this.queue.flushNow();
  }

  #schedulePoll(): void {
    this.#pollTimer = setTimeout(() => {
      this.pollNow();
      this.#recentHeads.push(this.feed.dispatched);
      if (this.#recentHeads.length > HEAD_SAMPLES) this.#recentHeads.shift();
      if (!this.closed) this.#schedulePoll();
    }, this.settings.pollIntervalMs);
    if (this.#streams.size === 0) this.#pollTimer.unref();
  }

  #armProgress(): void {
    if (this.#progressTimer || this.closed) return;
    this.#progressTimer = this.clock.setTimer(() => {
      this.#progressTimer = null;
      this.pollNow();
      let any = false;
      for (const stream of this.#streams) {
        if (!stream.progressNotify) continue;
        stream.progressTick();
        any = true;
      }
      if (any) this.#armProgress();
    }, this.settings.progressNotifyIntervalMs);
  }
}
