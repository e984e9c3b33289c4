import { randomUUID } from 'node:crypto';
import { newDefaultConfig, type ConfigForResource } from '@storagebackend/core';
import { memoryDriver } from '@storagebackend/driver-memory';
import { runWatchSuite } from '../src/storage/watch-suite.js';

const PROGRESS_NOTIFY_INTERVAL_MS = 200;

function memoryConfig(): ConfigForResource {
  const defaults = newDefaultConfig('/registry');
  return {
    ...defaults,
    type: 'memory',
    // A unique name per backend: memory stores given the same name share one backend.
    transport: { ...defaults.transport, serverList: [`watch-${randomUUID()}`] },
    groupResource: { group: '', resource: 'pods' },
    driverOptions: { progressNotifyIntervalMs: PROGRESS_NOTIFY_INTERVAL_MS },
  };
}

runWatchSuite({
  name: 'memory',
  createBackend: () => memoryDriver.createBackend(memoryConfig()),
  progressNotifyWithinMs: PROGRESS_NOTIFY_INTERVAL_MS * 2,
});
