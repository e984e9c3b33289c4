import { compactedError, prefixEnd, type BackendError, type BackendWatchEvent, type BackendWatchResponse } from '@storagebackend/core';
import { completeFrom } from './complete-history.js';
import { isBusy, toBackendError } from './errors.js';
import { yieldToEventLoop } from './event-loop.js';
import { eventFromRow, type FeedEvent } from './events.js';
import type { Feed, FeedSink } from './feed.js';
import { bound, type KeyBound, type Statements } from './statements.js';

/** What a watch needs from the engine. */
export interface WatchHost {
  readonly stmts: Statements;
  readonly feed: Feed;
  /** Runs `fn` in one read transaction (one consistent snapshot). */
  snapshot<T>(fn: () => T): T;
}

export interface WatchSpec {
  readonly key: string;
  readonly prefix: boolean;
  readonly startRevision: number;
  readonly prevKv: boolean;
  readonly progressNotify: boolean;
}

/** Revisions scanned per replay query. */
const REPLAY_WINDOW = 2000;
/** Replay queries per next() before yielding to the event loop. */
const REPLAY_QUERIES_PER_TURN = 32;
/** A live watch whose reader lags by more queued events than this falls back to replaying from history. */
const MAX_QUEUED_EVENTS = 10_000;

const MAX_BUSY_RETRIES = 400;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * One watch: replays history from its start revision, then follows the live feed. Switching from replay to live
 * happens inside the snapshot of the last replay read, so no revision is lost or repeated.
 */
export class WatchStream implements AsyncIterator<BackendWatchResponse>, FeedSink {
  readonly wantsPrevKv: boolean;
  readonly progressNotify: boolean;
  readonly #host: WatchHost;
  readonly #spec: WatchSpec;
  /** Exclusive end of the watched key range (an empty BLOB: unbounded). */
  readonly #end: KeyBound;
  readonly #onEnd: (stream: WatchStream) => void;
  #state: 'replay' | 'live' | 'done' = 'replay';
  #nextRev: number;
  /** Revision up to which everything this watch should see has been queued (0: nothing yet). */
  #covered: number;
  #queue: BackendWatchResponse[] = [];
  #queuedEvents = 0;
  #error: BackendError | null;
  #wake: (() => void) | null = null;
  #pendingProgress = false;
  #idle = true;
  #chain: Promise<unknown> = Promise.resolve();
  #busyRetries = 0;
  /** Has followed the feed at some point: it started at or after the floor then. */
  #wasLive = false;

  constructor(host: WatchHost, spec: WatchSpec, onEnd: (stream: WatchStream) => void, error: BackendError | null = null) {
    this.#host = host;
    this.#spec = spec;
    // A single key is the range [key, key + NUL).
    this.#end = spec.prefix ? bound(prefixEnd(spec.key)) : `${spec.key}\u0000`;
    this.#onEnd = onEnd;
    this.wantsPrevKv = spec.prevKv;
    this.progressNotify = spec.progressNotify;
    this.#nextRev = spec.startRevision;
    this.#covered = 0;
    this.#error = error;
  }

  next(): Promise<IteratorResult<BackendWatchResponse>> {
    const result = this.#chain.then(() => this.#next());
    this.#chain = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<BackendWatchResponse>> {
    this.end();
    return DONE;
  }

  /** Ends the watch: pending and later next() calls report done. */
  end(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#queue = [];
    this.#host.feed.remove(this);
    this.#onEnd(this);
    this.#wakeUp();
  }

  /** The first revision this watch still has to deliver. */
  get nextRevision(): number {
    return this.#nextRev;
  }

  deliver(events: readonly FeedEvent[], upTo: number): void {
    if (this.#state !== 'live') return;
    const picked: BackendWatchEvent[] = [];
    for (const event of events) {
      if (event.rev >= this.#nextRev && this.#matches(event.key)) picked.push(event.view(this.wantsPrevKv));
    }
    this.#nextRev = Math.max(this.#nextRev, upTo + 1);
    this.#covered = Math.max(this.#covered, upTo);
    if (picked.length > 0) {
      this.#push({ revision: upTo, events: picked });
      this.#idle = false;
      if (this.#queuedEvents > MAX_QUEUED_EVENTS) this.#fallBehind();
    }
    if (this.#pendingProgress && this.#state === 'live') this.#emitProgress();
    this.#wakeUp();
  }

  fail(error: BackendError): void {
    if (this.#state === 'done') return;
    this.#error = error;
    this.#host.feed.remove(this);
    this.#state = 'replay';
    this.#wakeUp();
  }

  /** The feed skipped revisions this watch has not seen (it already left the feed): read them from history. */
  replay(): void {
    if (this.#state !== 'live') return;
    this.#state = 'replay';
    this.#wakeUp();
  }

  /** requestProgress(): answer as soon as everything up to a revision has been delivered. */
  requestProgress(): void {
    if (this.#state === 'done') return;
    // A watch still replaying, or starting in the future, answers once it has caught up.
    this.#pendingProgress = true;
    if (this.#state === 'live') this.#emitProgress();
    this.#wakeUp();
  }

  /** Periodic tick: like etcd, only watches that received no events since the last tick get a notification. */
  progressTick(): void {
    if (this.#state === 'live' && this.#idle && this.#queue.length === 0) {
      this.#emitProgress();
      this.#wakeUp();
    }
    this.#idle = true;
  }

  async #next(): Promise<IteratorResult<BackendWatchResponse>> {
    for (;;) {
      const head = this.#queue.shift();
      if (head) {
        this.#queuedEvents -= head.events.length;
        return { done: false, value: head };
      }
      if (this.#state === 'done') return DONE;
      if (this.#error) {
        const error = this.#error;
        this.end();
        throw error;
      }
      if (this.#state === 'replay') await this.#replaySome();
      else await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  async #replaySome(): Promise<void> {
    for (let i = 0; i < REPLAY_QUERIES_PER_TURN; i++) {
      if (this.#state !== 'replay' || this.#queue.length > 0 || this.#error) return;
      try {
        this.#host.snapshot(() => this.#replayStep());
        this.#busyRetries = 0;
      } catch (err) {
        // Another process may briefly lock the file (WAL recovery); that is no reason to end the watch.
        if (isBusy(err) && this.#busyRetries++ < MAX_BUSY_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return;
        }
        this.#error = toBackendError(err, 'watch replay');
        return;
      }
    }
    await yieldToEventLoop();
  }

  /** One history read; goes live once it has read up to the head revision of its snapshot. */
  #replayStep(): void {
    const { stmts, feed } = this.#host;
    const { rev: head, floor } = stmts.headAndFloor.get()!;
    let eventsFloor = floor;
    if (this.#nextRev < floor) {
      // A watch that was live and fell back to history (a slow reader, or a backlog from another process) reads
      // on while the clean-up has not reached what it still needs; a new watch below the floor is refused (etcd).
      const complete = this.#wasLive ? completeFrom(stmts) : Number.POSITIVE_INFINITY;
      if (this.#nextRev < complete) {
        this.#error = compactedError(floor);
        return;
      }
      eventsFloor = Math.min(floor, complete);
    }
    if (this.#nextRev <= head) {
      const to = Math.min(this.#nextRev + REPLAY_WINDOW, head + 1);
      const rows = stmts.historyWindow.all(this.#nextRev, to, this.#spec.key, this.#end);
      const covered = to - 1;
      if (rows.length > 0) {
        const events = rows.map((row) => eventFromRow(stmts, row, eventsFloor, this.wantsPrevKv).view(this.wantsPrevKv));
        this.#push({ revision: covered, events });
      }
      this.#nextRev = covered + 1;
      this.#covered = Math.max(this.#covered, covered);
    }
    if (this.#nextRev > head) {
      this.#state = 'live';
      this.#wasLive = true;
      this.#covered = Math.max(this.#covered, head);
      feed.add(this);
      if (this.#pendingProgress) this.#emitProgress();
    }
  }

  #matches(key: string): boolean {
    return this.#spec.prefix ? key.startsWith(this.#spec.key) : key === this.#spec.key;
  }

  #push(response: BackendWatchResponse): void {
    this.#queue.push(response);
    this.#queuedEvents += response.events.length;
  }

  /** Progress says "everything before this revision was delivered"; not meaningful before the start revision. */
  #emitProgress(): boolean {
    if (this.#covered < this.#spec.startRevision - 1) return false;
    this.#pendingProgress = false;
    this.#push({ revision: this.#covered, events: [], progressNotify: true });
    return true;
  }

  /** The reader is too slow: drop what is queued and re-read it from history (or fail if compacted meanwhile). */
  #fallBehind(): void {
    const first = this.#queue.find((response) => response.events.length > 0);
    if (!first) return;
    this.#nextRev = first.events[0]!.kv.modRevision;
    this.#covered = this.#nextRev - 1;
    // A dropped progress notification is owed again once the replay has caught up.
    if (this.#queue.some((response) => response.progressNotify)) this.#pendingProgress = true;
    this.#queue = [];
    this.#queuedEvents = 0;
    this.#host.feed.remove(this);
    this.#state = 'replay';
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
