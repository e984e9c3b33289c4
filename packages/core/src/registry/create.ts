import { resourcePrefixOf } from '../config/default-config.js';
import type { PartialConfigForResource } from '../config/partial-config.js';
import type { StorageObject } from '../storage/object.js';
import { Store } from '../store/store.js';
import { acquireCompactor } from './compactor-pool.js';
import type { DriverRegistry } from './driver-registry.js';
import { resolveConfig } from './resolve-config.js';
import { startStorageMetrics } from '../observability/storage-metrics.js';
import { validateConfig } from './validate-config.js';

/** A created storage and the idempotent function that releases it (store, compactor reference, backend). */
export interface CreatedStorage<T extends StorageObject> {
  readonly storage: Store<T>;
  destroy(): Promise<void>;
}

/**
 * Kubernetes `factory.Create`: fill the defaults, validate, pick the driver by type, wrap its backend in the Store.
 */
export async function createWithRegistry<T extends StorageObject>(
  registry: DriverRegistry,
  partial: PartialConfigForResource,
  newFunc?: () => T,
): Promise<CreatedStorage<T>> {
  const driver = await registry.resolve(partial?.type ?? '');
  const config = resolveConfig(partial);
  validateConfig(config);
  const backend = await driver.createBackend(config);
  let compaction;
  try {
    compaction = await acquireCompactor(config, () => driver.createBackend(config));
  } catch (err) {
    await backend.close();
    throw err;
  }
  const storage = new Store<T>({
    backend,
    codec: config.codec,
    prefix: config.prefix,
    resourcePrefix: resourcePrefixOf(config),
    groupResource: config.groupResource,
    ...(config.transformer ? { transformer: config.transformer } : {}),
    ...(newFunc ? { newFunc } : {}),
    leaseManagerConfig: config.leaseManagerConfig,
    ...(compaction.compactor ? { compactor: compaction.compactor } : {}),
    ...(config.metrics ? { metrics: config.metrics } : {}),
  });
  const stopMetrics = config.metrics ? startStorageMetrics(config, storage, backend, config.metrics) : () => undefined;
  let destroying: Promise<void> | undefined;
  return {
    storage,
    destroy: () =>
      (destroying ??= (async () => {
        stopMetrics();
        await storage.close();
        await compaction.release();
        await backend.close();
      })()),
  };
}
