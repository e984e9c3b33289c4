import { describe } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { backendCompactionTests } from './compaction-tests.js';
import { backendGeneralTxnTests } from './general-txn-tests.js';
import { backendLeaseTests } from './lease-tests.js';
import { backendProgressTests } from './progress-tests.js';
import { backendPropertyTests } from './property-tests.js';
import { backendReadTests } from './read-tests.js';
import { backendRevisionTests } from './revision-tests.js';
import { backendTxnTests } from './txn-tests.js';
import { backendWatchTests } from './watch-tests.js';

/**
 * Registers the whole backend-level suite: revisions, optimistic writes, reads, watch, progress, leases,
 * compaction and the model-based property test. Groups a backend's capabilities rule out are skipped.
 *
 * @example
 * import { runBackendSuite } from '@storagebackend/conformance';
 * runBackendSuite({ name: 'memory', createBackend: () => memoryDriver.createBackend(config()) });
 */
export function runBackendSuite(target: ConformanceTarget): void {
  describe(`backend conformance: ${target.name}`, () => {
    backendRevisionTests(target);
    backendTxnTests(target);
    backendGeneralTxnTests(target);
    backendReadTests(target);
    backendWatchTests(target);
    backendProgressTests(target);
    backendLeaseTests(target);
    backendCompactionTests(target);
    backendPropertyTests(target);
  });
}
