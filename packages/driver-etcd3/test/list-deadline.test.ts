import { BackendError } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3Backend } from '../src/backend.js';
import { backendFor, enc, timed } from './helpers.js';
import { startSlowLink, type SlowLink } from './latency-proxy.js';

// Every request through the proxy takes at least LATENCY_MS, twice the request deadline of the slow backend.
const REQUEST_TIMEOUT_MS = 300;
const LATENCY_MS = 600;
const P = '/registry/longlist/';
const KEYS = 200;

let link: SlowLink;
/** A backend whose every request takes longer than its request deadline. */
let slow: Etcd3Backend;

beforeAll(async () => {
  link = await startSlowLink(LATENCY_MS, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
  slow = link.slow;
  const keys = Array.from({ length: KEYS }, (_, i) => `${P}${String(i).padStart(3, '0')}`);
  await Promise.all(keys.map((key) => link.direct.optimisticPut(key, enc('v'), 0)));
});

afterAll(async () => {
  await link?.stop();
});

describe('the request deadline', () => {
  it('does not cut lists or counts, as kube-apiserver does not: only point reads and writes have it', async () => {
    const unpaged = await timed(() => slow.list(P));
    expect(unpaged.ms).toBeGreaterThan(REQUEST_TIMEOUT_MS);
    expect(unpaged.result.kvs).toHaveLength(KEYS);

    const paged = await timed(() => slow.list(P, { limit: 50, continueKey: `${P}100` }));
    expect(paged.ms).toBeGreaterThan(REQUEST_TIMEOUT_MS);
    expect(paged.result.kvs.map((kv) => kv.key)).toEqual(Array.from({ length: 50 }, (_, i) => `${P}${100 + i}`));
    expect(paged.result.count).toBe(100);

    const count = await timed(() => slow.count(P));
    expect(count.ms).toBeGreaterThan(REQUEST_TIMEOUT_MS);
    expect(count.result).toBe(KEYS);

    // The same link, a point read: its deadline still holds.
    const err = await slow.get(`${P}000`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).code).toBe('Timeout');
  });

  it("leaves a list bounded by the caller's signal", async () => {
    const started = Date.now();
    const err = await slow.list(P, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError'); // the signal's reason, not a backend error
    expect(Date.now() - started).toBeLessThan(LATENCY_MS);
  });

  it('still ends a list on a member that stopped answering: the gRPC keepalive finds the connection dead', { timeout: 60_000 }, async () => {
    const keepaliveTimeMs = 5_000; // the least etcd accepts; a ping then has 5 s to be answered
    const backend = await backendFor(link.etcd.endpoint, { keepaliveTimeMs });
    try {
      await backend.list(P, { limit: 1 });
      await link.etcd.kill('SIGSTOP');
      const started = Date.now();
      try {
        const err = await backend.list(P).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(BackendError);
        expect((err as BackendError).code).toBe('Unreachable');
        expect(Date.now() - started).toBeLessThan(2 * keepaliveTimeMs + 5_000);
      } finally {
        await link.etcd.kill('SIGCONT');
      }
      expect((await backend.list(P)).kvs).toHaveLength(KEYS);
    } finally {
      await backend.close();
    }
  });
});
