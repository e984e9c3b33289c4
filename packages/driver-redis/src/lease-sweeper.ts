import { isBackendError } from '@storagebackend/core';
import type { RedisEngine } from './engine.js';
import { StoreEpochError } from './errors.js';

/**
 * Revokes expired leases (expiry is absolute, on the server's clock) through the same script as revokeLease, one
 * lease per call, so any backend instance sweeps every lease of the keyspace, even ones granted before a restart.
 */
export class LeaseSweeper {
  readonly #engine: RedisEngine;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #running = false;

  constructor(engine: RedisEngine) {
    this.#engine = engine;
  }

  start(): void {
    this.#schedule(0);
  }

  /** Sweep soon (a lease was granted that may expire before the next scheduled sweep). */
  poke(delayMs: number): void {
    if (!this.#running) this.#schedule(delayMs);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#sweep(), Math.max(0, delayMs));
    this.#timer.unref();
  }

  async #sweep(): Promise<void> {
    const { leaseSweepIntervalMs } = this.#engine.settings;
    this.#running = true;
    let wait = leaseSweepIntervalMs;
    try {
      for (;;) {
        if (this.#stopped || this.#engine.closed) return;
        const [revoked, next] = (await this.#engine.call('sbSweep', 'lease expiry')) as [number, number];
        if (revoked === 1) continue;
        if (next >= 0) wait = Math.min(leaseSweepIntervalMs, next + 5);
        break;
      }
    } catch (err) {
      // A lost store is reported by every other call; sweeping it further is pointless.
      if (err instanceof StoreEpochError || isBackendError(err, 'Closed')) return;
    } finally {
      this.#running = false;
    }
    this.#schedule(wait);
  }
}
