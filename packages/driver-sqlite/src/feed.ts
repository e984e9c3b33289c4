import { compactedError, type BackendError } from '@storagebackend/core';
import { completeFrom } from './complete-history.js';
import { isBusy, toBackendError } from './errors.js';
import { eventFromRow, type FeedEvent } from './events.js';
import { NO_BOUND, type Statements } from './statements.js';

/** A live watcher as the feed sees it. */
export interface FeedSink {
  readonly wantsPrevKv: boolean;
  /** The first revision the watcher still needs. */
  readonly nextRevision: number;
  /** Events of whole revisions in order; `upTo` is the revision everything so far is covered to. */
  deliver(events: readonly FeedEvent[], upTo: number): void;
  fail(error: BackendError): void;
  /** The feed moved on without it (it has been removed): it must read what it missed from history. */
  replay(): void;
}

/*
 * Bounds on what one catch-up reads. Catching up runs synchronously (inside a write transaction, or a poll), so a
 * larger backlog is left to the watchers, which replay history at their reader's pace.
 */
const MAX_CATCH_UP_REVISIONS = 1000;
const MAX_CATCH_UP_ROWS = 10_000;

/**
 * The in-order stream of committed revisions for live watchers. Local writes are published right after their
 * commit; revisions committed by other connections are read from history first, so nothing is skipped or
 * reordered whoever wrote it.
 */
export class Feed {
  readonly #stmts: Statements;
  readonly #sinks = new Set<FeedSink>();
  #dispatched: number;

  constructor(stmts: Statements, revision: number) {
    this.#stmts = stmts;
    this.#dispatched = revision;
  }

  /** The newest revision handed to live watchers. */
  get dispatched(): number {
    return this.#dispatched;
  }

  add(sink: FeedSink): void {
    this.#sinks.add(sink);
  }

  remove(sink: FeedSink): void {
    this.#sinks.delete(sink);
  }

  /** Publishes revisions (dispatched, upTo] that the caller produced itself. */
  publish(events: readonly FeedEvent[], upTo: number): void {
    if (upTo <= this.#dispatched) return;
    this.#dispatched = upTo;
    for (const sink of [...this.#sinks]) sink.deliver(events, upTo);
  }

  /**
   * Publishes revisions (dispatched, head] read from history; call inside a read or write transaction. Reads at
   * most one bounded window: beyond that the feed skips to `head` and its watchers replay from history.
   */
  catchUp(head: number, floor: number): void {
    if (head <= this.#dispatched) return;
    // Where prevKv can be looked up: normally not below the floor; see below for when it can.
    let eventsFloor = floor;
    if (floor > this.#dispatched + 1) {
      // Another process compacted revisions not delivered yet. While its clean-up has not reached them they are
      // all still there: read on, as etcd's watchers that are in sync never notice a compaction.
      const complete = completeFrom(this.#stmts);
      if (complete <= this.#dispatched + 1) {
        eventsFloor = Math.min(floor, complete);
      } else {
        // Gone: like etcd, watchers that still need them are cancelled; the others (starting at or after the
        // floor) read on from the floor.
        const error = compactedError(floor);
        for (const sink of [...this.#sinks]) {
          if (sink.nextRevision >= floor) continue;
          this.#sinks.delete(sink);
          sink.fail(error);
        }
        this.#dispatched = floor - 1;
      }
    }
    if (this.#sinks.size === 0) {
      this.#dispatched = head;
      return;
    }
    if (head - this.#dispatched > MAX_CATCH_UP_REVISIONS) {
      this.#skipTo(head);
      return;
    }
    const withPrev = [...this.#sinks].some((sink) => sink.wantsPrevKv);
    let rows;
    try {
      rows = this.#stmts.historyWindowLimited.all(this.#dispatched + 1, head + 1, MAX_CATCH_UP_ROWS + 1);
    } catch (err) {
      if (isBusy(err)) throw err;
      this.failAll(toBackendError(err, 'reading history for watchers'));
      this.#dispatched = head;
      return;
    }
    if (rows.length > MAX_CATCH_UP_ROWS) {
      this.#skipTo(head);
      return;
    }
    this.publish(
      rows.map((row) => eventFromRow(this.#stmts, row, eventsFloor, withPrev)),
      head,
    );
  }

  /** Ends every live watcher with `error`. */
  failAll(error: BackendError): void {
    const sinks = [...this.#sinks];
    this.#sinks.clear();
    for (const sink of sinks) sink.fail(error);
  }

  /** Ends every live watcher (backend closing). */
  clear(): void {
    this.#sinks.clear();
  }

  #skipTo(head: number): void {
    const sinks = [...this.#sinks];
    this.#sinks.clear();
    this.#dispatched = head;
    for (const sink of sinks) sink.replay();
  }
}
