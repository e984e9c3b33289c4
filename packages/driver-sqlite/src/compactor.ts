import type Database from 'better-sqlite3';
import { compactOp, compactStepOp } from './write-ops.js';
import type { WriteQueue } from './write-queue.js';
import type { Statements } from './statements.js';
import { yieldToEventLoop } from './event-loop.js';

/** Pages handed back to the file system per transaction when compaction freed a lot of space. */
const VACUUM_PAGES_PER_STEP = 2000;

/**
 * Compaction: the floor is raised in one small transaction, then history is cleaned in bounded batches that
 * queue behind (and between) ordinary writes, so writers never wait for more than one batch. Afterwards the WAL
 * is checkpointed and truncated, and a mostly-free file is shrunk.
 */
export class Compactor {
  readonly #db: Database.Database;
  readonly #stmts: Statements;
  readonly #queue: WriteQueue;
  readonly #batchSize: number;
  #requests = 0;
  #running: Promise<void> | null = null;

  constructor(db: Database.Database, stmts: Statements, queue: WriteQueue, batchSize: number) {
    this.#db = db;
    this.#stmts = stmts;
    this.#queue = queue;
    this.#batchSize = batchSize;
  }

  /** Resolves once history below `revision` is gone from the file. */
  async compact(revision: number, signal?: AbortSignal): Promise<void> {
    await this.#queue.submit(compactOp(revision), signal);
    await this.cleanup();
  }

  /** Whether an earlier clean-up was interrupted (e.g. by a crash) and should be resumed. */
  pending(): boolean {
    const floor = this.#stmts.getMeta.get('compact_revision')!.value;
    return this.#stmts.compactCursor.get()!.value < BigInt(floor) << 20n;
  }

  cleanup(): Promise<void> {
    this.#requests++;
    this.#running ??= this.#run().finally(() => (this.#running = null));
    return this.#running;
  }

  async #run(): Promise<void> {
    let seen: number;
    do {
      seen = this.#requests;
      // Each step is its own transaction; other writes, timers and I/O get their turn between steps (a step's
      // continuation would otherwise run as a microtask inside the queue's drain and starve the event loop).
      while (!(await this.#queue.submit(compactStepOp(this.#batchSize)))) await yieldToEventLoop();
    } while (seen !== this.#requests);
    this.#checkpoint();
    await this.#shrink();
  }

  #checkpoint(): void {
    try {
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A busy checkpoint is retried after the next compaction; SQLite's autocheckpoint keeps running meanwhile.
    }
  }

  async #shrink(): Promise<void> {
    const pages = (): { total: number; free: number } => ({
      total: this.#stmts.pageCount.get()!.page_count,
      free: this.#stmts.freelistCount.get()!.freelist_count,
    });
    let { total, free } = pages();
    // Freed pages are reused by later writes; only give them back when most of the file is empty.
    if (free < VACUUM_PAGES_PER_STEP || free * 2 < total) return;
    while (free > total / 8 && free > 0) {
      await yieldToEventLoop();
      await this.#queue.submit(() => this.#db.pragma(`incremental_vacuum(${VACUUM_PAGES_PER_STEP})`));
      const next = pages();
      if (next.free >= free) break;
      ({ total, free } = next);
    }
    this.#checkpoint();
  }
}
