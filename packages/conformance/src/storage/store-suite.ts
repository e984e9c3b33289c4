import { describe } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { storeBadInputTests } from './store-bad-input.js';
import { storeCompactionTests } from './store-compaction.js';
import { storeCreateTests } from './store-create.js';
import { storeDeleteSuggestionTests } from './store-delete-suggestion.js';
import { storeDeleteTests } from './store-delete.js';
import { storeGetTests } from './store-get.js';
import { storeKeySchemaTests } from './store-key-schema.js';
import { storeListNamespaceTests } from './store-list-namespace.js';
import { storeListTableTests } from './store-list-table.js';
import { storeListTests } from './store-list.js';
import { storePagingTests } from './store-paging.js';
import { storeStatsTests } from './store-stats.js';
import { storeTransformationTests } from './store-transform.js';
import { storeTtlTests } from './store-ttl.js';
import { storeUpdateConflictTests } from './store-update-conflict.js';
import { storeGuaranteedUpdateTests } from './store-update.js';

/**
 * Registers the storage-level store suite (Kubernetes `storage/testing/store_tests.go` behaviours) for a target:
 * a Store from `createStore` over each fresh backend, checked against etcd3 semantics.
 *
 * @example
 * import { runStoreSuite } from '@storagebackend/conformance';
 * runStoreSuite({ name: 'mine', createBackend: () => myDriver.createBackend(config) });
 */
export function runStoreSuite(target: ConformanceTarget): void {
  describe(`storage store suite: ${target.name}`, () => {
    storeCreateTests(target);
    storeTtlTests(target);
    storeGetTests(target);
    storeDeleteTests(target);
    storeDeleteSuggestionTests(target);
    storeGuaranteedUpdateTests(target);
    storeUpdateConflictTests(target);
    storeTransformationTests(target);
    storeListTableTests(target);
    storeListTests(target);
    storeListNamespaceTests(target);
    storePagingTests(target);
    storeCompactionTests(target);
    storeStatsTests(target);
    storeKeySchemaTests(target);
    storeBadInputTests(target);
  });
}
