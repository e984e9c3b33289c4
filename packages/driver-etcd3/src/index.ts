export { etcd3Driver } from './driver.js';
export { Etcd3Backend, type EndpointStatus } from './backend.js';
export type { Etcd3DriverOptions } from './options.js';
export { createEtcdMonitor, createEtcdProber, type EtcdMonitor, type EtcdProber } from './health.js';
export { startDbSizeMonitor, type DbSizeMonitor } from './db-size-monitor.js';
