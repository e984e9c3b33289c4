import type Database from 'better-sqlite3';
import { closedError } from '@storagebackend/core';
import { compactOp, compactStepOp } from './write-ops.js';
import type { WriteQueue } from './write-queue.js';
import type { Statements } from './statements.js';
import { yieldToEventLoop } from './event-loop.js';

/** Pages handed back to the file system per transaction when compaction freed a lot of space. */
const VACUUM_PAGES_PER_STEP = 500;
/** Time one clean-up transaction may take before it commits and lets the event loop run. */
const STEP_BUDGET_MS = 5;

/** How long other processes may need to notice a revision, and the newest revision they all have by now. */
export interface CompactionGrace {
  readonly ms: number;
  /** The newest revision this process saw at least `ms` ago (0: unknown). */
  settled(): number;
}

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
  readonly #grace: CompactionGrace;
  #requests = 0;
  #running: Promise<void> | null = null;

  constructor(db: Database.Database, stmts: Statements, queue: WriteQueue, batchSize: number, grace: CompactionGrace) {
    this.#db = db;
    this.#stmts = stmts;
    this.#queue = queue;
    this.#batchSize = batchSize;
    this.#grace = grace;
  }

  /** Resolves once history below `revision` is gone from the file. */
  async compact(revision: number, signal?: AbortSignal): Promise<void> {
    await this.#queue.submit(compactOp(revision), signal);
    // Other processes learn of new revisions only when they poll; before removing revisions they may not have
    // read yet, give them time to, so their watches that are in sync read on instead of being cancelled.
    if (revision > this.#grace.settled()) await new Promise((resolve) => setTimeout(resolve, this.#grace.ms));
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
      while (!(await this.#queue.submit(compactStepOp(this.#batchSize, STEP_BUDGET_MS)))) await yieldToEventLoop();
    } while (seen !== this.#requests);
    await this.#checkpoint();
    await this.#shrink();
  }

  /**
   * Copies the WAL into the file, then truncates it, each in a turn of its own. Either may take a while on a
   * large WAL; shrink() keeps it small by copying after every step.
   */
  async #checkpoint(): Promise<void> {
    this.#pragmaIgnoringBusy('wal_checkpoint(PASSIVE)');
    await yieldToEventLoop();
    this.#pragmaIgnoringBusy('wal_checkpoint(TRUNCATE)');
  }

  #pragmaIgnoringBusy(pragma: string): void {
    try {
      this.#db.pragma(pragma);
    } catch {
      // A busy checkpoint is retried after the next compaction; SQLite's autocheckpoint keeps running meanwhile.
    }
  }

  async #shrink(): Promise<void> {
    const pages = (): { total: number; free: number } => {
      // The engine may have closed while this waited for its turn.
      if (!this.#db.open) throw closedError();
      return { total: this.#stmts.pageCount.get()!.page_count, free: this.#stmts.freelistCount.get()!.freelist_count };
    };
    let { total, free } = pages();
    // Freed pages are reused by later writes; only give them back when most of the file is empty.
    if (free < VACUUM_PAGES_PER_STEP || free * 2 < total) return;
    while (free > total / 8 && free > 0) {
      await yieldToEventLoop();
      await this.#queue.submit(() => this.#db.pragma(`incremental_vacuum(${VACUUM_PAGES_PER_STEP})`));
      // The file shrinks when the step is copied out of the WAL: one step's worth at a time.
      await yieldToEventLoop();
      this.#pragmaIgnoringBusy('wal_checkpoint(PASSIVE)');
      const next = pages();
      if (next.free >= free) break;
      ({ total, free } = next);
    }
    await this.#checkpoint();
  }
}
