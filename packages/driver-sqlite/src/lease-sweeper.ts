import type { Clock, Timer } from '@storagebackend/core';

/** Timers longer than this are re-armed in steps (setTimeout overflows past 2^31 - 1 ms). */
const MAX_TIMER_MS = 60 * 60 * 1000;
const RETRY_MS = 1000;

/**
 * Keeps one timer armed for the earliest lease expiry stored in the database. Expiry times are absolute, so a
 * restart neither extends nor shortens a lease; leases already due when the database opens expire at once.
 */
export class LeaseSweeper {
  readonly #clock: Clock;
  readonly #nextExpiry: () => number | null;
  readonly #expire: () => void;
  #timer: Timer | null = null;
  #due = Number.POSITIVE_INFINITY;
  #stopped = false;

  constructor(clock: Clock, nextExpiry: () => number | null, expire: () => void) {
    this.#clock = clock;
    this.#nextExpiry = nextExpiry;
    this.#expire = expire;
  }

  /** Re-reads the earliest expiry and arms the timer for it. */
  reschedule(): void {
    if (this.#stopped) return;
    let due: number | null;
    try {
      due = this.#nextExpiry();
    } catch {
      this.retryLater();
      return;
    }
    if (due === null) {
      this.#cancel();
      return;
    }
    if (this.#timer && due === this.#due) return;
    const delay = due - this.#clock.now();
    if (delay > 0) {
      this.#arm(due, delay);
      return;
    }
    this.#cancel();
    this.#expire();
  }

  /** The last sweep failed (e.g. another process held the lock): try again shortly. */
  retryLater(): void {
    if (this.#stopped) return;
    this.#arm(this.#clock.now() + RETRY_MS, RETRY_MS);
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel();
  }

  #arm(due: number, delay: number): void {
    this.#cancel();
    this.#due = due;
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = null;
      this.#due = Number.POSITIVE_INFINITY;
      if (!this.#stopped) this.#expire();
    }, Math.min(delay, MAX_TIMER_MS));
  }

  #cancel(): void {
    this.#timer?.cancel();
    this.#timer = null;
    this.#due = Number.POSITIVE_INFINITY;
  }
}
