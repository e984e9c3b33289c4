import { compactedError, type BackendError } from '@storagebackend/core';
import { eventFromRow, type FeedEvent } from './events.js';
import { NO_BOUND, type Statements } from './statements.js';

/** A live watcher as the feed sees it. */
export interface FeedSink {
  readonly wantsPrevKv: boolean;
  /** Events of whole revisions in order; `upTo` is the revision everything so far is covered to. */
  deliver(events: readonly FeedEvent[], upTo: number): void;
  fail(error: BackendError): void;
}

/** Revisions read per catch-up query. */
const CATCH_UP_WINDOW = 1000;

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

  /** Publishes revisions (dispatched, head] read from history; call inside a read or write transaction. */
  catchUp(head: number, floor: number): void {
    if (head <= this.#dispatched) return;
    if (this.#sinks.size === 0) {
      this.#dispatched = head;
      return;
    }
    if (floor > this.#dispatched + 1) {
      // Another process compacted revisions we had not delivered yet: like etcd, those watchers are cancelled.
      const error = compactedError(floor);
      for (const sink of [...this.#sinks]) sink.fail(error);
      this.#sinks.clear();
      this.#dispatched = head;
      return;
    }
    const withPrev = [...this.#sinks].some((sink) => sink.wantsPrevKv);
    while (this.#dispatched < head) {
      const from = this.#dispatched + 1;
      const to = Math.min(from + CATCH_UP_WINDOW, head + 1);
      const rows = this.#stmts.historyWindow.all(from, to, '', NO_BOUND);
      this.publish(
        rows.map((row) => eventFromRow(this.#stmts, row, floor, withPrev)),
        to - 1,
      );
    }
  }

  /** Ends every live watcher (backend closing). */
  clear(): void {
    this.#sinks.clear();
  }
}
