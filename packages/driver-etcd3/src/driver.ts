import type { Driver } from '@storagebackend/core';
import { Etcd3Backend } from './backend.js';

/**
 * The etcd v3 driver (type `etcd3`). `transport.serverList` holds `http(s)://host:port` URLs; TLS comes from
 * `keyFile` / `certFile` / `trustedCAFile`; `driverOptions` accepts `Etcd3DriverOptions`.
 *
 * @example
 * const backend = await etcd3Driver.createBackend(forResource({ ...newDefaultConfig('/registry'), type: 'etcd3',
 *   transport: { serverList: ['http://127.0.0.1:2379'], keyFile: '', certFile: '', trustedCAFile: '' } },
 *   { group: '', resource: 'pods' }));
 */
export const etcd3Driver: Driver = {
  type: 'etcd3',
  createBackend: async (config) => new Etcd3Backend(config),
};
