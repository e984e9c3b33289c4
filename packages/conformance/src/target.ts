import type { Backend } from '@storagebackend/core';

/**
 * What a driver author hands the kit: a name and a factory of fresh, empty, isolated backends.
 *
 * @example
 * runConformance({ name: 'memory', createBackend: async () => memoryDriver.createBackend(testConfig(randomName())) });
 */
export interface ConformanceTarget {
  readonly name: string;
  /** A new backend with no keys, not shared with any other call. The kit closes it. */
  createBackend(): Promise<Backend>;
  /**
   * Milliseconds within which an idle watch with `progressNotify` receives a progress response; required when the
   * backend declares `capabilities.progressNotify` (configure the server's interval small for tests).
   */
  readonly progressNotifyWithinMs?: number;
  /** Upper bound, in seconds, on how late a lease may expire beyond its TTL (etcd rounds small TTLs up). Default 5. */
  readonly leaseExpirySlackSeconds?: number;
}
