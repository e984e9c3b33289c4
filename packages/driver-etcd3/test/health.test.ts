import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3Backend } from '../src/backend.js';
import { createEtcdMonitor, createEtcdProber, startDbSizeMonitor } from '../src/index.js';
import { startEtcd, type EtcdServer } from '../src/testing/index.js';
import { backendFor, configFor, sleep } from './helpers.js';

let etcd: EtcdServer;
let backend: Etcd3Backend;

beforeAll(async () => {
  etcd = await startEtcd();
  backend = await backendFor(etcd.endpoint, { requestTimeoutMs: 1_000 });
});

afterAll(async () => {
  await backend?.close();
  await etcd?.stop();
});

describe('prober and monitor', () => {
  it('probes by reading <prefix>/health and reports failures in the Kubernetes wording', async () => {
    const prober = createEtcdProber(configFor(etcd.endpoint, { driverOptions: { requestTimeoutMs: 1_000 } }));
    await prober.probe(); // the key does not exist: still healthy
    await etcd.kill('SIGSTOP');
    try {
      await expect(prober.probe()).rejects.toThrow(/^error getting data from etcd: /);
    } finally {
      await etcd.kill('SIGCONT');
    }
    await prober.close();
    await expect(prober.probe()).rejects.toThrow('closed');
  });

  it('monitors the database size', async () => {
    const monitor = createEtcdMonitor(configFor(etcd.endpoint));
    const { dbSizeBytes } = await monitor.monitor();
    expect(dbSizeBytes).toBeGreaterThan(0);
    await monitor.close();
    await expect(monitor.monitor()).rejects.toThrow('closed');
  });
});

describe('DB size monitor', () => {
  it('samples every endpoint at the interval, -1 while a member is unreachable, and stops', async () => {
    const samples: Array<[string, number]> = [];
    const monitor = startDbSizeMonitor(backend, 100, (endpoint, size) => samples.push([endpoint, size]));
    await sleep(250);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.every(([endpoint, size]) => endpoint === etcd.endpoint && size > 0)).toBe(true);

    await etcd.kill('SIGSTOP');
    try {
      const before = samples.length;
      await sleep(600);
      expect(samples.slice(before).some(([, size]) => size === -1)).toBe(true);
    } finally {
      await etcd.kill('SIGCONT');
    }
    monitor.stop();
    await sleep(200);
    const stopped = samples.length;
    await sleep(300);
    expect(samples.length).toBe(stopped);
  });

  it('does nothing with interval 0', async () => {
    const samples: number[] = [];
    startDbSizeMonitor(backend, 0, (_e, size) => samples.push(size));
    await sleep(150);
    expect(samples).toEqual([]);
  });
});
