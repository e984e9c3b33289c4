import { describe } from 'vitest';
import { runBackendSuite } from './backend/run-backend-suite.js';
import { runStoreSuite } from './storage/store-suite.js';
import { runWatchSuite } from './storage/watch-suite.js';
import type { ConformanceTarget } from './target.js';

/**
 * Registers the whole kit for a driver: the Backend-contract suite and the Kubernetes storage suites (store and
 * watch) over the core Store. Tests a backend cannot run are skipped by its capability manifest only.
 *
 * @example
 * // my-driver.conformance.test.ts
 * import { runConformance } from '@storagebackend/conformance';
 * runConformance({ name: 'mine', createBackend: () => myDriver.createBackend(testConfig()) });
 */
export function runConformance(target: ConformanceTarget): void {
  describe(`conformance: ${target.name}`, () => {
    runBackendSuite(target);
    runStoreSuite(target);
    runWatchSuite(target);
  });
}
