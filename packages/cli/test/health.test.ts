import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHealthCheck, createMonitor, createProber, newDefaultConfig, type Config } from '@storagebackend/core';

const dir = mkdtempSync(join(tmpdir(), 'sb-health-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(type: string, server: string, overrides: Partial<Config> = {}): Config {
  const base = newDefaultConfig('/registry');
  return { ...base, type, transport: { ...base.transport, serverList: [server] }, ...overrides };
}

/** A loopback port with nothing listening on it. */
async function deadEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('health checks, probers and monitors by config', () => {
  it.each([
    ['memory', () => `health-${Date.now()}`],
    ['sqlite', () => join(dir, 'health.db')],
  ])('%s: probe and health check pass, monitor reports a size', async (type, server) => {
    const cfg = config(type, server());
    const prober = await createProber(cfg);
    await prober.probe();
    await prober.close();
    await expect(prober.probe()).rejects.toThrow('closed');

    const check = createHealthCheck(cfg);
    await check.check();
    await check.close();
    await expect(check.check()).rejects.toThrow('server is shutting down');

    const monitor = await createMonitor(cfg);
    const { size } = await monitor.monitor();
    expect(size).toBeGreaterThanOrEqual(0);
    await monitor.close();
  });

  it('an unreachable etcd fails the probe with the Kubernetes wording, within the timeout', async () => {
    const cfg = config('etcd3', await deadEndpoint(), { healthcheckTimeoutMs: 1000 });
    const check = createHealthCheck(cfg);
    const started = Date.now();
    const err = await check.check().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((err as Error).message).toMatch(/^error getting data from etcd: /);
    // Rate limited: a second check right away returns the last result without probing again.
    const again = await check.check().catch((e: unknown) => e);
    expect(again).toBe(err);
    await check.close();
  });

  it('an unknown type is a config error, not a silent fallback', async () => {
    await expect(createProber(config('cassandra', 'x'))).rejects.toThrow('unknown storage type: cassandra');
  });
});
