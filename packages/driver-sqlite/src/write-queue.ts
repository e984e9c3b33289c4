import { BackendError, closedError } from '@storagebackend/core';
import { isBusy, toBackendError } from './errors.js';
import type { WriteTx } from './write-tx.js';

/** A queued write: `run` executes inside the batch transaction. */
export interface PendingWrite {
  readonly run: (tx: WriteTx) => unknown;
  readonly signal: AbortSignal | undefined;
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown };
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs a batch in one transaction and returns what to do after it committed (publish events, settle ops).
 * Throws (rolled back) on SQLite errors; SQLITE_BUSY means "try again later".
 */
export type BatchExecutor = (batch: readonly PendingWrite[]) => () => void;

const MAX_BATCH = 1000;
const MAX_RETRY_DELAY_MS = 50;

/**
 * Group commit: writes submitted while the event loop is busy (same tick, or while a batch waits for another
 * process's lock) are committed together, each with its own revision and compare result.
 */
export class WriteQueue {
  readonly #execute: BatchExecutor;
  readonly #busyTimeoutMs: number;
  #pending: PendingWrite[] = [];
  #scheduled = false;
  #draining = false;
  #closed = false;
  #idle: Array<() => void> = [];

  constructor(execute: BatchExecutor, busyTimeoutMs: number) {
    this.#execute = execute;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  submit<T>(run: (tx: WriteTx) => T, signal?: AbortSignal): Promise<T> {
    if (this.#closed) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ run, signal, resolve: resolve as (v: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Runs everything pending right now if nothing is in progress (lease expiry wants synchronous effects). */
  flushNow(): void {
    if (this.#draining || this.#pending.length === 0) return;
    const batch = this.#takeBatch();
    if (batch.length > 0 && this.#tryRun(batch) !== 'done') this.#pending.unshift(...batch);
    this.#schedule();
  }

  /** Stops accepting writes and resolves once everything already submitted has settled. */
  async close(): Promise<void> {
    this.#closed = true;
    if (!this.#draining && this.#pending.length === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#draining || this.#pending.length === 0) return;
    this.#scheduled = true;
    // setImmediate rather than a microtask: every write issued by the current burst of callbacks joins the batch.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  #takeBatch(): PendingWrite[] {
    const taken = this.#pending.splice(0, MAX_BATCH);
    return taken.filter((op) => {
      if (!op.signal?.aborted) return true;
      op.reject(op.signal.reason);
      return false;
    });
  }

  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#takeBatch();
        if (batch.length > 0) await this.#runWithRetry(batch);
      }
    } finally {
      this.#draining = false;
      if (this.#pending.length > 0) this.#schedule();
      else for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  async #runWithRetry(batch: PendingWrite[]): Promise<void> {
    const deadline = Date.now() + this.#busyTimeoutMs;
    let delay = 1;
    for (;;) {
      const status = this.#tryRun(batch);
      if (status === 'done') return;
      if (status === 'split') {
        // Something beyond one op's control failed; run them one by one so only the culprit fails.
        for (const op of batch) await this.#runWithRetry([op]);
        return;
      }
      if (Date.now() >= deadline) {
        const error = new BackendError('Timeout', `sqlite: database stayed locked by another process for ${this.#busyTimeoutMs}ms`);
        for (const op of batch) op.reject(error);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
    }
  }

  /** 'busy': nothing happened, retry later; 'split': rolled back, retry one op at a time; 'done': all settled. */
  #tryRun(batch: PendingWrite[]): 'done' | 'busy' | 'split' {
    let finish: () => void;
    try {
      finish = this.#execute(batch);
    } catch (err) {
      if (isBusy(err)) return 'busy';
      if (batch.length > 1) return 'split';
      batch[0]!.reject(toBackendError(err, 'write'));
      return 'done';
    }
    finish();
    return 'done';
  }
}
