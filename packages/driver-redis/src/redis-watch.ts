import { compactedError, type BackendError, type BackendWatchEvent, type BackendWatchResponse } from '@storagebackend/core';
import type { RedisEngine } from './engine.js';
import { revisionError } from './errors.js';
import type { Feed, FeedSink } from './feed.js';
import { parseEntries, type StreamEntry } from './stream-entry.js';

export interface WatchSpec {
  readonly key: string;
  readonly prefix: boolean;
  /** 0 = from the next revision. */
  readonly startRevision: number;
  readonly prevKv: boolean;
  readonly progressNotify: boolean;
}

/** Stream entries read per replay script. */
const REPLAY_COUNT = 500;
/** A live watch whose reader lags by more queued events than this re-reads them from the stream instead. */
const MAX_QUEUED_EVENTS = 10_000;
const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * One watch: replays the stream from its start revision up to the feed's position, then takes the feed's entries.
 * Revisions are dense and each has one stream entry, so a skipped revision is seen at once (and re-read, or
 * reported as Compacted when trimmed meanwhile).
 */
export class RedisWatch implements AsyncIterator<BackendWatchResponse>, AsyncIterable<BackendWatchResponse>, FeedSink {
  readonly progressNotify: boolean;
  readonly #engine: RedisEngine;
  readonly #feed: Feed;
  readonly #spec: WatchSpec;
  readonly #onEnd: (watch: RedisWatch) => void;
  #state: 'start' | 'replay' | 'live' | 'done' = 'start';
  #nextRev: number;
  #queue: BackendWatchResponse[] = [];
  #queuedEvents = 0;
  #error: BackendError | null;
  #wake: (() => void) | null = null;
  /** Revision a requested progress notification must cover; 0 when none is owed. */
  #pendingProgress = 0;
  #idle = true;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(engine: RedisEngine, feed: Feed, spec: WatchSpec, onEnd: (watch: RedisWatch) => void, error: BackendError | null) {
    this.#engine = engine;
    this.#feed = feed;
    this.#spec = spec;
    this.#onEnd = onEnd;
    this.progressNotify = spec.progressNotify;
    this.#nextRev = spec.startRevision;
    this.#error = error;
  }

  [Symbol.asyncIterator](): AsyncIterator<BackendWatchResponse> {
    return this;
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

  end(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#queue = [];
    this.#feed.remove(this);
    this.#onEnd(this);
    this.#wakeUp();
  }

  deliver(entries: readonly StreamEntry[], upTo: number): void {
    if (this.#state !== 'live') return;
    const events: BackendWatchEvent[] = [];
    for (const entry of entries) {
      if (entry.rev < this.#nextRev) continue;
      if (entry.rev > this.#nextRev) {
        // A revision went missing (trimmed while disconnected): re-read, which fails Compacted if it is gone.
        this.#flush(events, this.#nextRev - 1);
        this.#state = 'replay';
        this.#wakeUp();
        return;
      }
      this.#pick(entry, events);
      this.#nextRev = entry.rev + 1;
    }
    this.#nextRev = Math.max(this.#nextRev, upTo + 1);
    this.#flush(events, upTo);
    if (this.#queuedEvents > MAX_QUEUED_EVENTS) this.#fallBehind();
    this.#maybeProgress();
    this.#wakeUp();
  }

  fail(error: BackendError): void {
    if (this.#state === 'done') return;
    this.#error = error;
    this.#feed.remove(this);
    this.#wakeUp();
  }

  /** requestProgress(): a progress response once everything up to `revision` is delivered. */
  requestProgress(revision: number): void {
    if (this.#state === 'done') return;
    this.#pendingProgress = Math.max(this.#pendingProgress, revision, 1);
    this.#maybeProgress();
    this.#wakeUp();
  }

  /** Periodic tick: like etcd, only watches that got no events since the last tick are notified. */
  progressTick(): void {
    if (this.#state === 'live' && this.#idle && this.#queue.length === 0 && this.#emitProgress()) this.#wakeUp();
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
      if (this.#state === 'start') await this.#begin();
      else if (this.#state === 'replay') await this.#replayStep();
      else await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  async #begin(): Promise<void> {
    try {
      await this.#feed.add(this);
    } catch (err) {
      this.#error = err as BackendError;
      return;
    }
    if (this.#state !== 'start') return;
    if (this.#nextRev === 0) this.#nextRev = this.#feed.lastRev + 1;
    // Revision 1 is the empty store: no entry to wait for.
    if (this.#nextRev === 1) this.#nextRev = 2;
    this.#state = 'replay';
  }

  async #replayStep(): Promise<void> {
    const to = this.#feed.lastRev;
    if (this.#nextRev <= to) {
      let reply: [number, unknown];
      try {
        reply = (await this.#engine.call('sbReplay', 'watch', this.#nextRev, to, REPLAY_COUNT)) as [number, unknown];
      } catch (err) {
        this.#error = err as BackendError;
        return;
      }
      if (this.#state !== 'replay') return;
      if (reply[0] < 0) {
        this.#error = reply[0] === -1 ? compactedError(Number(reply[1])) : revisionError(reply[0], Number(reply[1]));
        return;
      }
      const entries = parseEntries(reply[1]);
      if (entries.length > 0 && entries[0]!.rev > this.#nextRev) {
        this.#error = compactedError(entries[0]!.rev);
        return;
      }
      const events: BackendWatchEvent[] = [];
      for (const entry of entries) this.#pick(entry, events);
      const covered = entries.length === REPLAY_COUNT ? entries[entries.length - 1]!.rev : to;
      this.#flush(events, covered);
      this.#nextRev = covered + 1;
    }
    if (this.#nextRev > this.#feed.lastRev) {
      this.#state = 'live';
      this.#maybeProgress();
    }
  }

  #pick(entry: StreamEntry, into: BackendWatchEvent[]): void {
    const { key, prefix, prevKv } = this.#spec;
    for (const event of entry.events) {
      if (prefix ? event.key.startsWith(key) : event.key === key) into.push(event.view(prevKv));
    }
  }

  #flush(events: BackendWatchEvent[], revision: number): void {
    if (events.length === 0) return;
    this.#queue.push({ revision, events });
    this.#queuedEvents += events.length;
    this.#idle = false;
  }

  #maybeProgress(): void {
    if (this.#pendingProgress > 0 && this.#state === 'live' && this.#nextRev - 1 >= this.#pendingProgress && this.#emitProgress()) {
      this.#pendingProgress = 0;
    }
  }

  /** "Everything before this revision was delivered"; not meaningful before the start revision. */
  #emitProgress(): boolean {
    const covered = this.#nextRev - 1;
    if (covered < this.#spec.startRevision - 1) return false;
    this.#queue.push({ revision: covered, events: [], progressNotify: true });
    return true;
  }

  #fallBehind(): void {
    const first = this.#queue.find((response) => response.events.length > 0);
    if (!first) return;
    this.#nextRev = first.events[0]!.kv.modRevision;
    this.#queue = [];
    this.#queuedEvents = 0;
    this.#state = 'replay';
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
