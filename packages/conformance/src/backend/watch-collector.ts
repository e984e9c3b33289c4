import type { TestContext } from 'vitest';
import type { Backend, BackendWatchEvent, BackendWatchResponse, BackendWatchOptions } from '@storagebackend/core';

/** Options of a collected watch; the collector owns the signal. */
export type CollectOptions = Omit<BackendWatchOptions, 'signal'>;

/**
 * Drains a backend watch in the background so tests can wait for conditions with a deadline instead of
 * blocking on `next()` forever.
 */
export class WatchCollector {
  readonly responses: BackendWatchResponse[] = [];
  error: unknown = undefined;
  ended = false;
  readonly #controller = new AbortController();
  readonly #listeners = new Set<() => void>();
  readonly #done: Promise<void>;

  constructor(backend: Backend, key: string, options: CollectOptions) {
    const iterable = backend.watch(key, { ...options, signal: this.#controller.signal });
    this.#done = this.#drain(iterable);
  }

  async #drain(iterable: AsyncIterable<BackendWatchResponse>): Promise<void> {
    try {
      for await (const response of iterable) {
        this.responses.push(response);
        this.#notify();
      }
    } catch (err) {
      this.error = err;
    } finally {
      this.ended = true;
      this.#notify();
    }
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Every event received so far, in delivery order. */
  get events(): BackendWatchEvent[] {
    return this.responses.flatMap((r) => r.events);
  }

  get progressResponses(): BackendWatchResponse[] {
    return this.responses.filter((r) => r.events.length === 0);
  }

  /** Resolves once `condition` holds; rejects on timeout, watch error or early end, describing what was seen. */
  waitFor(condition: (c: WatchCollector) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition(this)) return finish();
        if (this.error !== undefined) return finish(new Error(`watch failed while waiting for ${what}: ${String(this.error)}`));
        if (this.ended) return finish(new Error(`watch ended while waiting for ${what}; ${this.describe()}`));
      };
      const timer = setTimeout(
        () => finish(new Error(`timed out after ${timeoutMs}ms waiting for ${what}; ${this.describe()}`)),
        timeoutMs,
      );
      const finish = (err?: Error): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        if (err) reject(err);
        else resolve();
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** Waits until at least `n` events arrived. */
  waitForEvents(n: number, timeoutMs = 10_000): Promise<void> {
    return this.waitFor((c) => c.events.length >= n, timeoutMs, `${n} events`);
  }

  describe(): string {
    const revisions = this.events.map((e) => `${e.type}@${e.kv.modRevision}`);
    const shown = revisions.length > 20 ? [...revisions.slice(0, 10), '…', ...revisions.slice(-10)] : revisions;
    return `received ${revisions.length} events [${shown.join(', ')}] in ${this.responses.length} responses`;
  }

  /** Aborts the watch and waits (bounded) for the iteration to end; returns whether it ended in time. */
  async stop(timeoutMs = 5_000): Promise<boolean> {
    this.#controller.abort();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ended = await Promise.race([this.#done.then(() => true), timedOut]);
    clearTimeout(timer);
    return ended;
  }
}

/** Starts a collector that is stopped when the test finishes (before its backend is closed). */
export function startWatch(
  ctx: Pick<TestContext, 'onTestFinished'>,
  backend: Backend,
  key: string,
  options: CollectOptions,
): WatchCollector {
  const collector = new WatchCollector(backend, key, options);
  ctx.onTestFinished(async () => {
    await collector.stop();
  });
  return collector;
}
