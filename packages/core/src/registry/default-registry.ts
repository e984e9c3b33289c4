import type { Config, ConfigForResource } from '../config/config.js';
import type { StorageObject } from '../storage/object.js';
import { builtinDrivers } from './builtin-drivers.js';
import { createWithRegistry, type CreatedStorage } from './create.js';
import { DriverRegistry } from './driver-registry.js';
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
 * Creates a storage for a resource from config (Kubernetes `factory.Create`).
 *
 * @example
 * const { storage, destroy } = await create({ ...newDefaultConfig('/registry'), type: 'memory',
 *   transport: { serverList: ['demo'], keyFile: '', certFile: '', trustedCAFile: '' }, groupResource: { group: '', resource: 'pods' } });
 */
export function create<T extends StorageObject = StorageObject>(
  config: ConfigForResource,
  newFunc?: () => T,
  registry: DriverRegistry = defaultRegistry,
): Promise<CreatedStorage<T>> {
  return createWithRegistry(registry, config, newFunc);
}

export function createHealthCheck(config: Config, registry: DriverRegistry = defaultRegistry): HealthCheck {
  return createCheckWith(registry, config, config.healthcheckTimeoutMs);
}

export function createReadyCheck(config: Config, registry: DriverRegistry = defaultRegistry): HealthCheck {
  return createCheckWith(registry, config, config.readycheckTimeoutMs);
}

export function createProber(config: Config, registry: DriverRegistry = defaultRegistry): Promise<Prober> {
  return createProberWith(registry, config);
}

export function createMonitor(config: Config, registry: DriverRegistry = defaultRegistry): Promise<Monitor> {
  return createMonitorWith(registry, config);
}

export type { CreatedStorage, ConfigForResource };
