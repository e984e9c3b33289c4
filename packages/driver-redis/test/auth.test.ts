import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBackendError } from '@storagebackend/core';
import { createRedisDriver } from '../src/index.js';
import { enc, freshKeyspace, redisConfig } from './helpers.js';
import { freePort, startRedis, type RedisServer } from '../src/testing/index.js';

const PASSWORD = 'pw-Zq8#kT2!secret';
let server: RedisServer;
beforeAll(async () => {
  server = await startRedis({ password: PASSWORD });
});
afterAll(() => server?.stop());

const driver = createRedisDriver({ connectTimeoutMs: 2000 });

/** Everything a user could see of an error: message, stack and the cause chain. */
function visible(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { message?: unknown; stack?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    parts.push(String(e.message), String(e.stack), String(e));
  }
  return parts.join('\n');
}

describe('AUTH (requirepass)', () => {
  it('connects with the password from the URL and works', async () => {
    const backend = await driver.createBackend(redisConfig(server.url(), { keyspace: freshKeyspace() }));
    try {
      const put = await backend.optimisticPut('/registry/pods/a', enc('x'), 0);
      expect(put.succeeded).toBe(true);
      expect(backend.endpoint).not.toContain(PASSWORD);
      expect(JSON.stringify(await backend.status())).not.toContain(PASSWORD);
    } finally {
      await backend.close();
    }
  });

  it('a wrong password fails createBackend with Unreachable, and neither password appears in the error', async () => {
    const wrong = 'wrong-Pw-77!zz';
    const url = `redis://:${encodeURIComponent(wrong)}@127.0.0.1:${server.port}`;
    const err = await driver.createBackend(redisConfig(url, { keyspace: freshKeyspace() })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isBackendError(err, 'Unreachable')).toBe(true);
    expect(visible(err)).not.toContain(wrong);
    expect(visible(err)).not.toContain(encodeURIComponent(wrong));
    expect(visible(err)).not.toContain(PASSWORD);
  });

  it('no password fails with Unreachable (NOAUTH)', async () => {
    const err = await driver.createBackend(redisConfig(`redis://127.0.0.1:${server.port}`, { keyspace: freshKeyspace() })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isBackendError(err, 'Unreachable')).toBe(true);
    expect((err as Error).message).toMatch(/NOAUTH|authentication/i);
  });

  it('an invalid URL carrying a password is rejected without echoing the password', async () => {
    const err = await driver.createBackend(redisConfig(`redis://:${PASSWORD}@127.0.0.1/`, { keyspace: freshKeyspace() })).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe('ConfigError');
    expect(visible(err)).not.toContain(PASSWORD);
  });

  it('a server that is not there fails with Unreachable in bounded time', async () => {
    const port = await freePort();
    const started = Date.now();
    const err = await driver.createBackend(redisConfig(`redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`, { keyspace: freshKeyspace() })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isBackendError(err, 'Unreachable')).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(visible(err)).not.toContain(PASSWORD);
  });
});
