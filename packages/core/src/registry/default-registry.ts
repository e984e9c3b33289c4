import type { ConfigForResource } from '../config/config.js';
import type { PartialConfig, PartialConfigForResource } from '../config/partial-config.js';
import type { StorageObject } from '../storage/object.js';
import { builtinDrivers } from './builtin-drivers.js';
import { createWithRegistry, type CreatedStorage } from './create.js';
import { DriverRegistry } from './driver-registry.js';
import { resolveConfig } from './resolve-config.js';
import { validateBaseConfig } from './validate-config.js';
import {
  createCheckWith,
  createMonitorWith,
  createProberWith,
  type HealthCheck,
  type Monitor,
  type Prober,
} from './health.js';

/** The registry behind the top-level functions: the built-in drivers, each imported only when selected. */
export const defaultRegistry = new DriverRegistry();
for (const driver of builtinDrivers) defaultRegistry.register(driver);

/**
 * Creates a storage for a resource from config (Kubernetes `factory.Create`). The config may be partial: absent
 * fields take `newDefaultConfig`'s defaults (prefix `/registry`), absent TLS files mean none, and a memory config
 * without `serverList` gets a private store. A registry-first app writes `registry.create(config)`.
 *
 * @example
 * const { storage, destroy } = await create({ type: 'memory', transport: { serverList: ['demo'] },
 *   groupResource: { group: '', resource: 'pods' } });
 */
export function create<T extends StorageObject = StorageObject>(
  config: PartialConfigForResource,
  newFunc?: () => T,
  registry: DriverRegistry = defaultRegistry,
): Promise<CreatedStorage<T>> {
  return createWithRegistry(registry, config, newFunc);
}

/** The health functions take partial configs too; bad fields fail here, named. */
function checked(partial: PartialConfig) {
  const config = resolveConfig(partial);
  validateBaseConfig(config);
  return config;
}

export function createHealthCheck(partial: PartialConfig, registry: DriverRegistry = defaultRegistry): HealthCheck {
  const config = checked(partial);
  return createCheckWith(registry, config, config.healthcheckTimeoutMs);
}

export function createReadyCheck(partial: PartialConfig, registry: DriverRegistry = defaultRegistry): HealthCheck {
  const config = checked(partial);
  return createCheckWith(registry, config, config.readycheckTimeoutMs);
}

export async function createProber(partial: PartialConfig, registry: DriverRegistry = defaultRegistry): Promise<Prober> {
  return createProberWith(registry, checked(partial));
}

export async function createMonitor(partial: PartialConfig, registry: DriverRegistry = defaultRegistry): Promise<Monitor> {
  return createMonitorWith(registry, checked(partial));
}

export type { CreatedStorage, ConfigForResource };
