import {
  Compactor,
  createStore,
  jsonCodec,
  type Backend,
  type KeyValue,
  type Storage,
  type Transformer,
} from '@storagebackend/core';
import type { ConformanceTarget } from '../target.js';
import { newPod, type Pod } from './fixtures.js';
import { PrefixTransformer, SwappableTransformer } from './test-transformers.js';

/** Key prefix of every backend key the storage suites write (the store's `prefix`). */
export const SUITE_PATH_PREFIX = '/registry';

const encoder = new TextEncoder();

/**
 * A Store over a fresh backend with the hooks the Kubernetes storage tests need (§4.2 of the reference): raw reads,
 * compaction through the shared compactor protocol, revision bumps outside the resource prefix, transformer swaps.
 */
export interface StorageTestContext {
  readonly backend: Backend;
  readonly store: Storage<Pod>;
  /** The transformer the store was built with ("test!" prefix); swap it with `updateTransformer`. */
  readonly prefixTransformer: PrefixTransformer;
  readonly compactor: Compactor;
  /** The backend key of a store key. */
  backendKey(key: string): string;
  /** The raw stored value of a store key (after the transformer), or null. */
  rawGet(key: string): Promise<KeyValue | null>;
  /** Compacts the backend to `resourceVersion` through the compactor and waits until the store observes it. */
  compact(resourceVersion: string | number): Promise<void>;
  /** Writes a key outside the resource prefix, bumping the global revision; returns the new revision. */
  increaseRV(): Promise<number>;
  /** Replaces the store's (and its watchers') transformer; the returned function reverts it. */
  updateTransformer(next: (current: Transformer) => Transformer): () => void;
  close(): Promise<void>;
}

export interface StorageTestContextOptions {
  /** Lease reuse window; the suites use 1 so a 1s TTL expires quickly. */
  readonly leaseReuseDurationSeconds?: number;
}

export async function createStorageTestContext(
  target: ConformanceTarget,
  options: StorageTestContextOptions = {},
): Promise<StorageTestContext> {
  const backend = await target.createBackend();
  const prefixTransformer = new PrefixTransformer('test!');
  const transformer = new SwappableTransformer(prefixTransformer);
  const compactor = new Compactor(backend, { intervalMs: 0 });
  const store = createStore<Pod>({
    backend,
    codec: jsonCodec,
    prefix: SUITE_PATH_PREFIX,
    resourcePrefix: '/pods/',
    groupResource: { group: '', resource: 'pods' },
    transformer,
    newFunc: newPod,
    compactor,
    leaseManagerConfig: { reuseDurationSeconds: options.leaseReuseDurationSeconds ?? 1, maxObjectCount: 1000 },
  });
  const backendKey = (key: string) => SUITE_PATH_PREFIX + key;
  let bumps = 0;
  return {
    backend,
    store,
    prefixTransformer,
    compactor,
    backendKey,
    rawGet: async (key) => (await backend.get(backendKey(key))).kv,
    async compact(resourceVersion) {
      await compactor.compactTo(Number(resourceVersion));
    },
    async increaseRV() {
      const put = await backend.optimisticPut(`/increaseRV/${bumps++}`, encoder.encode('ok'), 0);
      return put.revision;
    },
    updateTransformer: (next) => transformer.swap(next),
    async close() {
      await compactor.stop();
      await store.close();
      await backend.close();
    },
  };
}
