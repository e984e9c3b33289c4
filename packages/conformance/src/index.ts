export type { ConformanceTarget } from './target.js';
export { runConformance } from './run-conformance.js';

// Backend-contract suite, whole and per group, plus the reference model for differential tests.
export * from './backend/index.js';

// Storage-level suites (Kubernetes storage/testing behaviours over the core Store).
export { runStoreSuite } from './storage/store-suite.js';
export { runWatchSuite } from './storage/watch-suite.js';
export { runWatchBasicTests } from './storage/watch-basic.js';
export { runWatchFromTests } from './storage/watch-from.js';
export { runWatchErrorTests } from './storage/watch-errors.js';
export { runWatchDeliveryTests } from './storage/watch-delivery.js';
export { runWatchProgressTests } from './storage/watch-progress.js';
export { runWatchScopedTests } from './storage/watch-scoped.js';
export { runWatchInitialEventsTests } from './storage/watch-initial-events.js';
export { WatchReader, withWatchContext, type WatchTestContext } from './storage/watch-helpers.js';
export {
  createStorageTestContext,
  SUITE_PATH_PREFIX,
  type StorageTestContext,
  type StorageTestContextOptions,
} from './storage/context.js';
export { clone, newPod, pod, podKey, type Pod } from './storage/fixtures.js';
export { PrefixTransformer, SwappableTransformer } from './storage/test-transformers.js';
