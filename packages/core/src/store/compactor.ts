import type { Backend } from '../backend/types.js';
import { isBackendError } from '../backend/errors.js';
import { systemClock, type Clock, type Timer } from '../clock.js';

/** The key whose version is the cluster-wide compaction clock (Kubernetes `compact_rev_key`), at the keyspace root. */
export const COMPACT_REV_KEY = 'compact_rev_key';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface CompactState {
  /** Version of compact_rev_key this process last saw (the logical compaction clock). */
  readonly version: number;
  /** Mod revision of compact_rev_key at that version (0 when absent); what the CAS compares. */
  readonly modRevision: number;
  /** Store revision observed by the CAS, compacted to on the next tick. */
  readonly currentRevision: number;
  /** Revision compacted to (by us or by another process), 0 if none. */
  readonly compactRevision: number;
}

export const INITIAL_COMPACT_STATE: CompactState = { version: 0, modRevision: 0, currentRevision: 0, compactRevision: 0 };

/**
 * One compaction step of the `compact_rev_key` protocol: CAS the key from the version we know to `revision`; if we win,
 * physically compact to `revision` (skipped for 0, the bootstrap tick); if another process won, adopt its clock.
 */
export async function compactOnce(
  backend: Backend,
  state: CompactState,
  revision: number,
): Promise<{ state: CompactState; won: boolean }> {
  const put = await backend.optimisticPut(COMPACT_REV_KEY, encoder.encode(String(revision)), state.modRevision, {
    getOnFailure: true,
  });
  if (!put.succeeded) {
    const kv = put.kv;
    const adopted = {
      version: kv?.version ?? 0,
      modRevision: kv?.modRevision ?? 0,
      currentRevision: put.revision,
      compactRevision: Math.max(state.compactRevision, kv ? Number(decoder.decode(kv.value)) || 0 : 0),
    };
    return { state: adopted, won: false };
  }
  // The clock moved even if the physical compaction below fails: keep it, or our own write looks like a lost race.
  const advanced: CompactState = {
    version: state.version + 1,
    modRevision: put.revision,
    currentRevision: put.revision,
    compactRevision: state.compactRevision,
  };
  if (revision === 0) return { state: advanced, won: true };
  try {
    await backend.compact(revision);
  } catch (err) {
    // Someone compacted further already: the floor is at least where we wanted it.
    if (!isBackendError(err, 'Compacted')) throw new CompactionFailedError(advanced, err);
  }
  return { state: { ...advanced, compactRevision: Math.max(state.compactRevision, revision) }, won: true };
}

/** The physical compaction failed after the shared clock advanced; `state` is where the protocol now stands. */
export class CompactionFailedError extends Error {
  override readonly name = 'CompactionFailedError';
  readonly state: CompactState;

  constructor(state: CompactState, cause: unknown) {
    super(`compaction failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.state = state;
  }
}

export interface CompactorOptions {
  /** Interval between compactions; 0 runs no compaction loop (the compact revision is still observed). */
  readonly intervalMs: number;
  readonly clock?: Clock;
  /** Called with errors of background ticks, which are retried on the next tick. */
  readonly onError?: (err: unknown) => void;
}

/**
 * Periodic compaction shared by every store of one transport: each tick compacts to the revision observed one interval
 * earlier, so at least one interval of history is kept, and processes sharing a backend compact once per interval.
 *
 * @example
 * const compactor = new Compactor(backend, { intervalMs: 300_000 });
 * compactor.start();
 */
export class Compactor {
  readonly #backend: Backend;
  readonly #clock: Clock;
  #intervalMs: number;
  readonly #onError: (err: unknown) => void;
  #state: CompactState = INITIAL_COMPACT_STATE;
  #observed = 0;
  #timer: Timer | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(backend: Backend, options: CompactorOptions) {
    this.#backend = backend;
    this.#clock = options.clock ?? systemClock;
    this.#intervalMs = options.intervalMs;
    this.#onError = options.onError ?? (() => {});
  }

  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** The highest compact revision observed, from our own compactions, the shared key, or reads that hit the floor. */
  compactRevision(): number {
    return Math.max(this.#observed, this.#state.compactRevision);
  }

  /** Records a compact revision learned elsewhere (e.g. a Compacted error). */
  observe(compactRevision: number): void {
    if (compactRevision > this.#observed) this.#observed = compactRevision;
  }

  /** Changes the interval in place (a smaller one requested by another store of the same transport). */
  setInterval(intervalMs: number): void {
    this.#intervalMs = intervalMs;
    // A running tick reschedules itself with the new interval when it ends.
    if (!this.#timer || this.#stopped) return;
    this.#timer.cancel();
    this.#timer = undefined;
    if (intervalMs > 0) this.#schedule();
  }

  start(): void {
    if (this.#intervalMs <= 0 || this.#timer || this.#stopped) return;
    this.#schedule();
  }

  /** Runs one protocol tick now (tests and the conformance kit use this); returns the compact revision after it. */
  async tick(): Promise<number> {
    const previous = this.#state;
    this.#state = (await this.#step(previous.currentRevision)).state;
    return this.compactRevision();
  }

  async #step(revision: number): Promise<{ state: CompactState; won: boolean }> {
    try {
      return await compactOnce(this.#backend, this.#state, revision);
    } catch (err) {
      if (err instanceof CompactionFailedError) this.#state = err.state;
      throw err;
    }
  }

  /**
   * Compacts to exactly `revision` through the shared protocol, retrying once if another process moved the clock,
   * then refreshes the observed compact revision.
   */
  async compactTo(revision: number): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const { state, won } = await this.#step(revision);
      this.#state = state;
      if (won) return;
    }
    throw new Error(`compaction to ${revision} lost the compact_rev_key race twice`);
  }

  /** Reads compact_rev_key to learn compactions done by other processes. */
  async refresh(): Promise<number> {
    const { kv } = await this.#backend.get(COMPACT_REV_KEY);
    if (kv) this.observe(Number(decoder.decode(kv.value)) || 0);
    return this.compactRevision();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(): void {
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = undefined;
      this.#running = this.tick()
        .then(() => undefined, this.#onError)
        .finally(() => {
          this.#running = undefined;
          if (!this.#stopped && !this.#timer && this.#intervalMs > 0) this.#schedule();
        });
    }, this.#intervalMs);
  }
}
