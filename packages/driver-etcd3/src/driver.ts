import type { Driver } from '@storagebackend/core';
import { Etcd3Backend } from './backend.js';

/**
 * The etcd v3 driver (type `etcd3`). `transport.serverList` holds `http(s)://host:port` URLs, decided per server
 * like etcd's Go client: `https://` uses TLS with `keyFile` / `certFile` / `trustedCAFile` (system roots when no
 * CA is given), `http://` is plaintext, and a bare `host:port` uses TLS iff any of those files is set; schemes
 * may be mixed. `driverOptions` accepts `Etcd3DriverOptions`. Creating a backend asks every member for its
 * version (see `Etcd3Backend.create`).
 *
 * @example
 * const backend = await etcd3Driver.createBackend(forResource({ ...newDefaultConfig('/registry'), type: 'etcd3',
 *   transport: { serverList: ['http://127.0.0.1:2379'], keyFile: '', certFile: '', trustedCAFile: '' } },
 *   { group: '', resource: 'pods' }));
 */
export const etcd3Driver: Driver = {
  type: 'etcd3',
  createBackend: (config) => Etcd3Backend.create(config),
};
