import { randomUUID } from 'node:crypto';
import { newDefaultConfig, type ConfigForResource } from '@storagebackend/core';
import { memoryDriver } from '@storagebackend/driver-memory';
import { runStoreSuite } from '../src/storage/store-suite.js';

function memoryConfig(): ConfigForResource {
  const defaults = newDefaultConfig('/registry');
  return {
    ...defaults,
    type: 'memory',
    transport: { ...defaults.transport, serverList: [`store-suite-${randomUUID()}`] },
    groupResource: { group: '', resource: 'pods' },
    driverOptions: { progressNotifyIntervalMs: 200 },
  };
}

runStoreSuite({
  name: 'memory',
  createBackend: () => memoryDriver.createBackend(memoryConfig()),
  leaseExpirySlackSeconds: 2,
});
