import { describe } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { runWatchBasicTests } from './watch-basic.js';
import { runWatchDeliveryTests } from './watch-delivery.js';
import { runWatchErrorTests } from './watch-errors.js';
import { runWatchFromTests } from './watch-from.js';
import { runWatchInitialEventsTests } from './watch-initial-events.js';
import { runWatchProgressTests } from './watch-progress.js';
import { runWatchScopedTests } from './watch-scoped.js';

/**
 * Registers the storage-level watch suite (the Kubernetes `storage/testing/watcher_tests.go` behaviours) for a
 * target: every test runs a fresh Store over a fresh backend; skips follow `backend.capabilities` only.
 *
 * @example
 * runWatchSuite({ name: 'memory', createBackend: () => memoryDriver.createBackend(config()) });
 */
export function runWatchSuite(target: ConformanceTarget): void {
  describe(`storage watch: ${target.name}`, () => {
    runWatchBasicTests(target);
    runWatchFromTests(target);
    runWatchErrorTests(target);
    runWatchDeliveryTests(target);
    runWatchProgressTests(target);
    runWatchScopedTests(target);
    runWatchInitialEventsTests(target);
  });
}
