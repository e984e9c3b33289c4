import type { Backend } from '@storagebackend/core';
import type { ConformanceTarget } from '@storagebackend/conformance';
import { etcd3Driver } from '../src/driver.js';
import { startEtcd } from '../src/testing/index.js';
import { configFor } from './helpers.js';

const PROGRESS_INTERVAL_MS = 500;

/**
 * Every backend the kit asks for is a fresh single-member etcd (fast election timings, data on /dev/shm), stopped
 * when the backend closes: backends must be empty and isolated, and etcd has one revision sequence per server.
 */
export const freshEtcdTarget: ConformanceTarget = {
  name: 'etcd3 (real etcd 3.4)',
  progressNotifyWithinMs: PROGRESS_INTERVAL_MS * 4,
  leaseExpirySlackSeconds: 5,
  async createBackend(): Promise<Backend> {
    const server = await startEtcd({
      heartbeatIntervalMs: 10,
      electionTimeoutMs: 100,
      progressNotifyIntervalMs: PROGRESS_INTERVAL_MS,
    });
    let backend: Backend;
    try {
      backend = await etcd3Driver.createBackend(configFor(server.endpoint));
    } catch (err) {
      await server.stop();
      throw err;
    }
    const close = backend.close.bind(backend);
    return Object.assign(backend, {
      close: async () => {
        try {
          await close();
        } finally {
          await server.stop();
        }
      },
    });
  },
};
