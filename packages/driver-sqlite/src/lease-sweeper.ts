import type { Clock, Timer } from '@storagebackend/core';

/** A row of the leases table as the sweeper reads it. */
export interface StoredLease {
  readonly id: number;
  readonly expires_at_ms: number;
}

/** Timers longer than this are re-armed in steps (setTimeout overflows past 2^31 - 1 ms). */
const MAX_TIMER_MS = 60 * 60 * 1000;

/**
 * One timer per lease, armed for a duration on the clock's timers: a lease granted here waits its TTL; a lease
 * found in the file (at open, or granted by another process) waits what its persisted absolute expiry leaves at
 * that moment. So setting the wall clock later changes nothing in this process; a restart checks the absolute
 * time again, which is why a restart neither extends nor shortens a lease.
 */
export class LeaseSweeper {
  readonly #clock: Clock;
  readonly #leasesAfter: (id: number) => Iterable<StoredLease>;
  /** `fromTimer`: called from a clock timer (not from inside other work), so the expiry may run at once. */
  readonly #expire: (id: number, fromTimer: boolean) => void;
  readonly #timers = new Map<number, Timer>();
  /** Highest lease id looked at in the file. */
  #lastSeen = 0;
  #stopped = false;

  constructor(clock: Clock, leasesAfter: (id: number) => Iterable<StoredLease>, expire: (id: number, fromTimer: boolean) => void) {
    this.#clock = clock;
    this.#leasesAfter = leasesAfter;
    this.#expire = expire;
  }

  /** Arms a timer for every lease in the file not looked at yet, for what its persisted expiry leaves from now. */
  trackNew(): void {
    const now = this.#clock.now();
    for (const { id, expires_at_ms } of this.#leasesAfter(this.#lastSeen)) {
      this.#lastSeen = id;
      if (!this.#timers.has(id)) this.track(id, expires_at_ms - now);
    }
  }

  /** Expires lease `id` once `ms` have passed (queues it now if they already have), replacing its earlier timer. */
  track(id: number, ms: number): void {
    if (this.#stopped) return;
    this.forget(id);
    if (ms <= 0) this.#expire(id, false);
    else this.#arm(id, ms);
  }

  forget(id: number): void {
    this.#timers.get(id)?.cancel();
    this.#timers.delete(id);
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
  }

  #arm(id: number, ms: number): void {
    const step = Math.min(ms, MAX_TIMER_MS);
    const timer = this.#clock.setTimer(() => {
      if (this.#timers.get(id) !== timer) return;
      this.#timers.delete(id);
      if (this.#stopped) return;
      // A long wait goes on from what is left of it, never from the wall clock.
      if (ms > step) this.#arm(id, ms - step);
      else this.#expire(id, true);
    }, step);
    this.#timers.set(id, timer);
  }
}
