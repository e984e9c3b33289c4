import { randomUUID } from 'node:crypto';
import { newDefaultConfig, type Backend, type ConfigForResource } from '@storagebackend/core';
import { memoryDriver } from '@storagebackend/driver-memory';
import type { ConformanceTarget } from '../../src/target.js';

export const PROGRESS_NOTIFY_INTERVAL_MS = 200;

/** A config for a fresh, isolated memory backend (a unique name per call). */
export function memoryConfig(): ConfigForResource {
  const defaults = newDefaultConfig('/registry');
  return {
    ...defaults,
    type: 'memory',
    // A unique name per backend: memory stores given the same name share one backend.
    transport: { ...defaults.transport, serverList: [`backend-kit-${randomUUID()}`] },
    groupResource: { group: '', resource: 'pods' },
    driverOptions: { progressNotifyIntervalMs: PROGRESS_NOTIFY_INTERVAL_MS },
  };
}

/** The memory driver as a conformance target, optionally with every backend wrapped (how the teeth break it). */
export function memoryTarget(name = 'memory', wrap: (backend: Backend) => Backend = (b) => b): ConformanceTarget {
  return {
    name,
    createBackend: async () => wrap(await memoryDriver.createBackend(memoryConfig())),
    progressNotifyWithinMs: PROGRESS_NOTIFY_INTERVAL_MS * 5,
    leaseExpirySlackSeconds: 2,
  };
}
