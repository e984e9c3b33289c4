import type { ConfigForResource } from '../config/config.js';
import type { Backend } from './types.js';

/**
 * A storage driver: a named factory of Backends. The core wraps every Backend in the one Store.
 *
 * @example
 * export const myDriver: Driver = { type: 'mine', createBackend: async (config) => new MyBackend(config) };
 */
export interface Driver {
  readonly type: string;
  createBackend(config: ConfigForResource): Promise<Backend>;
}

/** A driver known by type whose module is imported only when that type is selected. */
export interface LazyDriver {
  readonly type: string;
  load(): Promise<Driver>;
}
