import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHealthCheck,
  createMonitor,
  createProber,
  createReadyCheck,
  DriverRegistry,
  newDefaultConfig,
  type Config,
} from '@storagebackend/core';
import { etcd3Driver } from '../src/index.js';
import { startEtcd, type EtcdServer } from '../src/testing/index.js';

let etcd: EtcdServer;
const registry = new DriverRegistry().register(etcd3Driver);

beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

function config(overrides: Partial<Config> = {}): Config {
  const base = newDefaultConfig('/registry');
  return { ...base, type: '', transport: { ...base.transport, serverList: [etcd.endpoint] }, ...overrides };
}

describe('health, readiness, prober and monitor (reference §5) on a real etcd', () => {
  it('probe, health and ready checks pass; the monitor reports the DB size', async () => {
    const prober = await createProber(config(), registry);
    await prober.probe();
    const monitor = await createMonitor(config(), registry);
    expect((await monitor.monitor()).size).toBeGreaterThan(0);
    const health = createHealthCheck(config(), registry);
    const ready = createReadyCheck(config(), registry);
    await health.check();
    await ready.check();
    for (const c of [prober, monitor, health, ready]) await c.close();
  });

  it('a paused etcd fails the health check within its timeout, with the Kubernetes wording, then recovers', async () => {
    const health = createHealthCheck(config({ healthcheckTimeoutMs: 600 }), registry);
    await health.check();
    await new Promise((r) => setTimeout(r, 400)); // past the rate limit (timeout / 2)
    await etcd.kill('SIGSTOP');
    try {
      const started = Date.now();
      const err = await health.check().catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(3000);
      expect((err as Error).message).toMatch(/^error getting data from etcd: /);
    } finally {
      await etcd.kill('SIGCONT');
    }
    const deadline = Date.now() + 10_000;
    let last: unknown;
    for (;;) {
      await new Promise((r) => setTimeout(r, 350));
      last = await health.check().then(() => undefined, (e: unknown) => e);
      if (last === undefined || Date.now() > deadline) break;
    }
    expect(last).toBeUndefined();
    await health.close();
  });
});
