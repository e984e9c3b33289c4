import 'reflect-metadata';
import { container, type DependencyContainer } from 'tsyringe';
import type { Backend } from '../backend/types.js';
import type { Driver, LazyDriver } from '../backend/driver.js';
import type { ConfigForResource, StorageType } from '../config/config.js';
import type { PartialConfigForResource } from '../config/partial-config.js';
import { ConfigError } from '../errors/internal-error.js';
import type { StorageObject } from '../storage/object.js';
import { createWithRegistry, type CreatedStorage } from './create.js';

/** The tsyringe token every driver (eager or lazy) is contributed under. */
export const DRIVER_TOKEN = Symbol.for('storagebackend.Driver');

type Contribution = { readonly eager: Driver } | { readonly lazy: LazyDriver };

export const ETCD2_UNSUPPORTED = 'etcd2 is no longer a supported storage backend';

/** `''` means etcd3 (Kubernetes `StorageTypeUnset`). */
export function normalizeStorageType(type: StorageType): string {
  return type === '' ? 'etcd3' : type;
}

function isLazy(driver: Driver | LazyDriver): driver is LazyDriver {
  return typeof (driver as LazyDriver).load === 'function';
}

/**
 * Maps storage types to drivers. `new DriverRegistry()` starts empty; `defaultRegistry` knows the built-in drivers
 * and imports one only when its type is selected. Unknown types are an error, never a fallback.
 *
 * @example
 * const registry = new DriverRegistry().register(memoryDriver);
 * const backend = await registry.createBackend({ ...config, type: 'memory' });
 * const { storage, destroy } = await registry.create({ type: 'memory', groupResource: { group: '', resource: 'pods' } });
 */
export class DriverRegistry {
  readonly #container: DependencyContainer;
  readonly #loaded = new Map<string, Promise<Driver>>();

  constructor(parent: DependencyContainer = container) {
    this.#container = parent.createChildContainer();
  }

  /** Registers a driver, or a lazy one whose module loads on first use. A later registration of a type wins. */
  register(driver: Driver | LazyDriver): this {
    if (!driver || typeof driver.type !== 'string' || driver.type === '') {
      throw new ConfigError('InvalidConfig', 'a driver needs a non-empty type');
    }
    if (driver.type === 'etcd2') throw new ConfigError('UnsupportedStorageType', ETCD2_UNSUPPORTED);
    const contribution: Contribution = isLazy(driver) ? { lazy: driver } : { eager: driver };
    this.#container.register(DRIVER_TOKEN, { useValue: contribution });
    this.#loaded.delete(driver.type);
    return this;
  }

  /** Registered types, in registration order (latest registration of a type counts once). */
  types(): string[] {
    return [...new Set(this.#contributions().map(typeOf))];
  }

  has(type: StorageType): boolean {
    return this.types().includes(normalizeStorageType(type));
  }

  /** The driver for a type; rejects etcd2 and unregistered types with the Kubernetes wording. */
  async resolve(type: StorageType): Promise<Driver> {
    const name = normalizeStorageType(type);
    if (name === 'etcd2') throw new ConfigError('UnsupportedStorageType', ETCD2_UNSUPPORTED);
    const contribution = this.#contributions()
      .filter((c) => typeOf(c) === name)
      .at(-1);
    if (!contribution) {
      const known = this.types();
      throw new ConfigError(
        'UnknownStorageType',
        `unknown storage type: ${name}` + (known.length ? ` (registered: ${known.join(', ')})` : ' (no drivers registered)'),
      );
    }
    if ('eager' in contribution) return contribution.eager;
    let loading = this.#loaded.get(name);
    if (!loading) {
      loading = contribution.lazy.load().then((driver) => {
        if (driver.type !== name) {
          throw new ConfigError('InvalidConfig', `driver loaded for type ${name} reports type ${driver.type}`);
        }
        return driver;
      });
      loading.catch(() => this.#loaded.delete(name));
      this.#loaded.set(name, loading);
    }
    return loading;
  }

  /** `create()` with this registry's drivers: a Store over a partial config completed with the defaults. */
  create<T extends StorageObject = StorageObject>(config: PartialConfigForResource, newFunc?: () => T): Promise<CreatedStorage<T>> {
    return createWithRegistry(this, config, newFunc);
  }

  async createBackend(config: ConfigForResource): Promise<Backend> {
    const driver = await this.resolve(config.type);
    return driver.createBackend(config);
  }

  #contributions(): Contribution[] {
    return this.#container.isRegistered(DRIVER_TOKEN, false) ? this.#container.resolveAll<Contribution>(DRIVER_TOKEN) : [];
  }
}

function typeOf(c: Contribution): string {
  return 'eager' in c ? c.eager.type : c.lazy.type;
}
