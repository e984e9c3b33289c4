import { systemClock, type Clock, type ConfigForResource, type Driver } from '@storagebackend/core';
import { attachMemoryBackend, type MemoryBackend } from './memory-backend.js';
import { MvccState } from './mvcc-state.js';
import { checkProgressInterval, parseDriverOptions, storeNameOf } from './options.js';

/**
 * Options of a memory driver instance.
 *
 * @example
 * const clock = new ManualClock();
 * const driver = createMemoryDriver({ clock, progressNotifyIntervalMs: 50 });
 */
export interface MemoryDriverOptions {
  /** Time source for lease expiry and progress notifications; default `systemClock`. */
  readonly clock?: Clock;
  /** Default progress notification interval; `driverOptions.progressNotifyIntervalMs` overrides it per backend. */
  readonly progressNotifyIntervalMs?: number;
}

interface SharedStore {
  readonly state: MvccState;
  handles: number;
}

/**
 * A memory driver with its own namespace of stores: backends it creates with the same `transport.serverList[0]`
 * share one store (one revision sequence, like one etcd) until the last of them is closed.
 *
 * @example
 * const driver = createMemoryDriver({ clock: new ManualClock() });
 * const backend = await driver.createBackend(config); // config.transport.serverList = ['my-test']
 */
export function createMemoryDriver(options: MemoryDriverOptions = {}): Driver {
  const clock = options.clock ?? systemClock;
  const defaultInterval =
    options.progressNotifyIntervalMs === undefined
      ? undefined
      : checkProgressInterval(options.progressNotifyIntervalMs, 'progressNotifyIntervalMs');
  const stores = new Map<string, SharedStore>();

  const open = (name: string): { state: MvccState; release: () => void } => {
    let shared = stores.get(name);
    if (shared === undefined) {
      shared = { state: new MvccState(clock), handles: 0 };
      stores.set(name, shared);
    }
    const store = shared;
    store.handles++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      if (--store.handles > 0) return;
      store.state.dispose();
      if (stores.get(name) === store) stores.delete(name);
    };
    return { state: store.state, release };
  };

  return {
    type: 'memory',
    async createBackend(config: ConfigForResource): Promise<MemoryBackend> {
      const name = storeNameOf(config);
      const settings = parseDriverOptions(config.driverOptions);
      const interval = settings.progressNotifyIntervalMs ?? defaultInterval;
      const { state, release } = open(name);
      return attachMemoryBackend(state, release, {
        ...(interval === undefined ? {} : { progressNotifyIntervalMs: interval }),
        ...(settings.maxRequestBytes === undefined ? {} : { maxRequestBytes: settings.maxRequestBytes }),
        ...(settings.maxTxnOps === undefined ? {} : { maxTxnOps: settings.maxTxnOps }),
      });
    },
  };
}

/**
 * The process-wide memory driver (type `memory`, system clock): backends created with the same
 * `transport.serverList[0]` anywhere in the process share one store.
 *
 * @example
 * const backend = await memoryDriver.createBackend({ ...forResource(config, { group: '', resource: 'pods' }) });
 */
export const memoryDriver: Driver = createMemoryDriver();
