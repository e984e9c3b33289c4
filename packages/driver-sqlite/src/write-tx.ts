import { BackendError } from '@storagebackend/core';
import type { FeedEvent } from './events.js';
import type { Statements } from './statements.js';
import { MAX_REVISION } from './validate.js';

/** What a committed batch means for the in-process lease timers: expire `id` after `ms`, or forget it (null). */
export interface LeaseTimerChange {
  readonly id: number;
  readonly ms: number | null;
}

/** State shared by the operations of one group-commit transaction. */
export class WriteTx {
  readonly stmts: Statements;
  /** Clock time when the batch started; grants compute their absolute expiry from it. */
  readonly now: number;
  readonly floor: number;
  readonly events: FeedEvent[] = [];
  readonly leaseTimers: LeaseTimerChange[] = [];
  #revision: number;

  constructor(stmts: Statements, revision: number, floor: number, now: number) {
    this.stmts = stmts;
    this.#revision = revision;
    this.floor = floor;
    this.now = now;
  }

  /** The store revision as of this point in the batch. */
  get revision(): number {
    return this.#revision;
  }

  /** Takes the next revision; only call once the write is certain to happen. */
  allocate(): number {
    if (this.#revision >= MAX_REVISION) throw new BackendError('Internal', 'sqlite: revision space exhausted');
    return ++this.#revision;
  }

  emit(event: FeedEvent): void {
    this.events.push(event);
  }
}
