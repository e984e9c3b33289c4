import { compactedError, onAbort, type BackendError, type BackendWatchEvent, type BackendWatchResponse, type Timer } from '@storagebackend/core';
import { setLongTimer } from './long-timer.js';
import type { LogEntry, MvccState, StateListener } from './mvcc-state.js';

/**
 * When compaction is about to drop log entries a watch has not read yet, up to this many of its pending events are
 * copied out first; beyond that the watch ends with Compacted, as etcd cancels a watcher that fell too far behind.
 */
export const MAX_COMPACTED_BACKLOG_EVENTS = 10_000;

type Result = IteratorResult<BackendWatchResponse, undefined>;
const DONE: Result = Object.freeze({ done: true, value: undefined });
const FAILED = Symbol('failed');

interface Waiter {
  resolve(result: Result): void;
  reject(err: unknown): void;
}

export interface MemoryWatchInit {
  readonly state: MvccState;
  readonly key: string;
  readonly prefix: boolean;
  readonly prevKv: boolean;
  /** First revision to deliver, already checked against the compact floor. */
  readonly startRevision: number;
  /** Progress notification interval while idle; 0 for none. */
  readonly progressIntervalMs: number;
  readonly signal: AbortSignal | undefined;
  readonly onEnd: (watch: MemoryWatch) => void;
}

/**
 * A watch reading the shared write log through its own cursor: the log is the buffer, so a slow consumer loses
 * nothing and costs no copies; writers only wake watches that are waiting.
 */
export class MemoryWatch implements AsyncIterableIterator<BackendWatchResponse, undefined>, StateListener {
  readonly #state: MvccState;
  readonly #key: string;
  readonly #prefix: boolean;
  readonly #matchesAll: boolean;
  readonly #prevKv: boolean;
  readonly #intervalMs: number;
  #offAbort: () => void = () => undefined;
  readonly #onEnd: (watch: MemoryWatch) => void;
  #next: number;
  #backlog: BackendWatchResponse[] = [];
  #backlogHead = 0;
  #backlogEvents = 0;
  #failure: BackendError | null = null;
  #done = false;
  #progressDue = false;
  #deliveredSinceTick = false;
  #waiters: Waiter[] = [];
  #timer: Timer | null = null;

  constructor(init: MemoryWatchInit) {
    this.#state = init.state;
    this.#key = init.key;
    this.#prefix = init.prefix;
    this.#matchesAll = init.prefix && init.key === '';
    this.#prevKv = init.prevKv;
    this.#intervalMs = init.progressIntervalMs;
    this.#onEnd = init.onEnd;
    this.#next = init.startRevision;
    init.state.subscribe(this);
    // One shared listener per signal: apps pass one shutdown signal to every watch.
    if (init.signal) this.#offAbort = onAbort(init.signal, this.#onAbort);
    if (this.#intervalMs > 0) this.#arm();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Result> {
    if (this.#waiters.length === 0) {
      const outcome = this.#poll();
      if (outcome === FAILED) return Promise.reject(this.#fail());
      if (outcome !== null) return Promise.resolve(outcome);
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  return(): Promise<Result> {
    this.end();
    return Promise.resolve(DONE);
  }

  /** Ends the iteration without error: pending and later `next()` calls resolve done. */
  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#timer?.cancel();
    this.#timer = null;
    this.#offAbort();
    this.#state.unsubscribe(this);
    this.#onEnd(this);
    this.#backlog = [];
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.resolve(DONE);
  }

  /** Emits a progress response once every event up to the then-current revision has been delivered. */
  requestProgress(): void {
    if (this.#done) return;
    this.#progressDue = true;
    this.#drain();
  }

  onAppend(_entry: LogEntry): void {
    if (this.#waiters.length > 0) this.#drain();
  }

  onCompact(revision: number): void {
    if (this.#done || this.#failure !== null) return;
    const state = this.#state;
    let next = Math.max(this.#next, state.logStart);
    for (; next < revision; next++) {
      const value = this.#select(state.entryAt(next)!);
      if (value === null) continue;
      this.#backlog.push(value);
      this.#backlogEvents += value.events.length;
      if (this.#backlogEvents > MAX_COMPACTED_BACKLOG_EVENTS) {
        this.#backlog = [];
        this.#backlogHead = 0;
        this.#backlogEvents = 0;
        this.#failure = compactedError(revision);
        state.unsubscribe(this);
        break;
      }
    }
    if (this.#next < revision) this.#next = revision;
    this.#drain();
  }

  onDispose(): void {
    this.end();
  }

  #poll(): Result | null | typeof FAILED {
    if (this.#done) return DONE;
    if (this.#backlogHead < this.#backlog.length) {
      const value = this.#backlog[this.#backlogHead++]!;
      this.#backlogEvents -= value.events.length;
      if (this.#backlogHead === this.#backlog.length) {
        this.#backlog = [];
        this.#backlogHead = 0;
      }
      this.#deliveredSinceTick = true;
      return { done: false, value };
    }
    if (this.#failure !== null) return FAILED;
    const state = this.#state;
    // Below logStart lies only history this watch already took (see onCompact) or the empty revision 1.
    if (this.#next < state.logStart) this.#next = state.logStart;
    const current = state.revision;
    while (this.#next <= current) {
      const value = this.#select(state.entryAt(this.#next++)!);
      if (value !== null) {
        this.#deliveredSinceTick = true;
        return { done: false, value };
      }
    }
    if (this.#progressDue) {
      this.#progressDue = false;
      // A watch that starts in the future has nothing to report yet (etcd ≥ 3.6.2 sends no progress either).
      if (this.#next > current + 1) return null;
      return { done: false, value: { revision: current, events: [], progressNotify: true } };
    }
    return null;
  }

  #drain(): void {
    while (this.#waiters.length > 0) {
      const outcome = this.#poll();
      if (outcome === null) return;
      const waiter = this.#waiters.shift()!;
      if (outcome === FAILED) waiter.reject(this.#fail());
      else waiter.resolve(outcome);
    }
  }

  #fail(): BackendError {
    const failure = this.#failure!;
    this.end();
    return failure;
  }

  /** This watch's share of one revision, or null when none of its events match. */
  #select(entry: LogEntry): BackendWatchResponse | null {
    const events = entry.events;
    if (this.#matchesAll) return this.#whole(entry);
    if (events.length === 1) return this.#matches(events[0]!.kv.key) ? this.#whole(entry) : null;
    const picked: BackendWatchEvent[] = [];
    for (const event of events) if (this.#matches(event.kv.key)) picked.push(this.#prevKv ? event : withoutPrev(event));
    if (picked.length === 0) return null;
    if (picked.length === events.length) return this.#whole(entry);
    return { revision: entry.revision, events: picked };
  }

  #whole(entry: LogEntry): BackendWatchResponse {
    if (this.#prevKv) return (entry.withPrev ??= { revision: entry.revision, events: entry.events });
    return (entry.withoutPrev ??= { revision: entry.revision, events: entry.events.map(withoutPrev) });
  }

  #matches(key: string): boolean {
    return this.#prefix ? key.startsWith(this.#key) : key === this.#key;
  }

  #arm(): void {
    this.#timer = setLongTimer(this.#state.clock, this.#tick, this.#intervalMs);
  }

  // etcd notifies only watches that sent no events during the interval.
  readonly #tick = (): void => {
    if (this.#done) return;
    if (!this.#deliveredSinceTick) {
      this.#progressDue = true;
      this.#drain();
    }
    this.#deliveredSinceTick = false;
    this.#arm();
  };

  readonly #onAbort = (): void => this.end();
}

function withoutPrev(event: BackendWatchEvent): BackendWatchEvent {
  return event.prevKv === null ? event : { type: event.type, kv: event.kv, prevKv: null };
}

/** A watch that never started: its first `next()` rejects with `failure`, or it is simply done. */
export class EndedWatch implements AsyncIterableIterator<BackendWatchResponse, undefined> {
  #failure: unknown;

  constructor(failure: unknown = null) {
    this.#failure = failure;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Result> {
    const failure = this.#failure;
    this.#failure = null;
    return failure === null ? Promise.resolve(DONE) : Promise.reject(failure);
  }

  return(): Promise<Result> {
    this.#failure = null;
    return Promise.resolve(DONE);
  }
}
