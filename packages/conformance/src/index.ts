export type { ConformanceTarget } from './target.js';
export { runConformance } from './run-conformance.js';

// Backend-contract suite, whole and per group, plus the reference model for differential tests.
export * from './backend/index.js';

// Storage-level suites (Kubernetes storage/testing behaviours over the core Store).
export { runStoreSuite } from './storage/store-suite.js';
export { storeCreateTests } from './storage/store-create.js';
export { storeTtlTests } from './storage/store-ttl.js';
export { storeGetTests } from './storage/store-get.js';
export { storeDeleteTests } from './storage/store-delete.js';
export { storeDeleteSuggestionTests } from './storage/store-delete-suggestion.js';
export { storeGuaranteedUpdateTests } from './storage/store-update.js';
export { storeUpdateConflictTests } from './storage/store-update-conflict.js';
export { storeTransformationTests } from './storage/store-transform.js';
export { storeListTableTests } from './storage/store-list-table.js';
export { storeListTests } from './storage/store-list.js';
export { storeListNamespaceTests } from './storage/store-list-namespace.js';
export { storePagingTests } from './storage/store-paging.js';
export { storeCompactionTests } from './storage/store-compaction.js';
export { storeStatsTests } from './storage/store-stats.js';
export { storeKeySchemaTests } from './storage/store-key-schema.js';
export { storeBadInputTests } from './storage/store-bad-input.js';
export { encodeContinueToken, countingTarget, type BackendCallCounter } from './storage/store-helpers.js';
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
export {
  FailingTransformer,
  PrefixTransformer,
  ReproducingTransformer,
  SwappableTransformer,
} from './storage/test-transformers.js';
