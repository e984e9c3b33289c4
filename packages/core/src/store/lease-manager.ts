import { onAbort } from '../abort/on-abort.js';
import type { Backend } from '../backend/types.js';
import type { Clock } from '../clock.js';
import { noopMetricsRecorder, type MetricsRecorder } from '../observability/metrics-recorder.js';
import { DEFAULT_LEASE_MAX_OBJECT_COUNT, type LeaseManagerConfig } from '../config/config.js';

const REUSE_DURATION_PERCENT = 0.05;

/**
 * Hands out leases for TTL'd objects, reusing one lease for objects whose expiry falls within a small window
 * (Kubernetes `leaseManager`): objects may live up to the reuse window longer than asked, never shorter.
 */
export class LeaseManager {
  readonly #backend: Backend;
  readonly #clock: Clock;
  readonly #reuseDurationSeconds: number;
  readonly #maxObjectCount: number;
  #prevLeaseId = '0';
  #prevExpiryMs = 0;
  #attached = 0;
  #lock: Promise<unknown> = Promise.resolve();

  readonly #metrics: MetricsRecorder;

  constructor(backend: Backend, clock: Clock, config: LeaseManagerConfig, metrics: MetricsRecorder = noopMetricsRecorder) {
    this.#metrics = metrics;
    this.#backend = backend;
    this.#clock = clock;
    this.#reuseDurationSeconds = config.reuseDurationSeconds;
    this.#maxObjectCount = config.maxObjectCount > 0 ? config.maxObjectCount : DEFAULT_LEASE_MAX_OBJECT_COUNT;
  }

  /** The reuse window for a TTL: 5% of it, capped by the configured reuse duration. */
  reuseDurationSeconds(ttlSeconds: number): number {
    return Math.min(Math.floor(REUSE_DURATION_PERCENT * ttlSeconds), this.#reuseDurationSeconds);
  }

  /** A lease id to attach to an object that must live `ttlSeconds`. Calls are serialized like the Go mutex. */
  getLease(ttlSeconds: number, signal?: AbortSignal): Promise<string> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const run = this.#lock.then(() => {
      // A caller that gave up while waiting must not grant a lease nobody will use.
      signal?.throwIfAborted();
      return this.#getLeaseLocked(ttlSeconds, signal);
    });
    this.#lock = run.catch(() => undefined);
    if (signal === undefined) return run;
    // The lock may be held by another caller's grant to a frozen server: this caller's signal still counts.
    return new Promise<string>((resolve, reject) => {
      const off = onAbort(signal, () => reject(signal.reason));
      run.then(
        (id) => (off(), resolve(id)),
        (err: unknown) => (off(), reject(err)),
      );
    });
  }

  async #getLeaseLocked(ttlSeconds: number, signal?: AbortSignal): Promise<string> {
    const now = this.#clock.now();
    const reuse = this.reuseDurationSeconds(ttlSeconds);
    const valid = now + ttlSeconds * 1000 < this.#prevExpiryMs;
    const sufficient = now + (ttlSeconds + reuse) * 1000 > this.#prevExpiryMs;
    this.#attached++;
    if (valid && sufficient && this.#attached <= this.#maxObjectCount) return this.#prevLeaseId;
    const granted = ttlSeconds + reuse;
    const lease = await this.#backend.grantLease(granted, signal ? { signal } : {});
    // Kubernetes observes how many objects the previous lease carried each time it grants a new one.
    this.#metrics.recordLeaseObjectCount(this.#attached - 1);
    this.#prevLeaseId = lease.id;
    this.#prevExpiryMs = now + granted * 1000;
    this.#attached = 1;
    return lease.id;
  }
}
