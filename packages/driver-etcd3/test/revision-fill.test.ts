import { BackendError, isBackendError } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3Backend } from '../src/backend.js';
import { enc, timed } from './helpers.js';
import { startSlowLink, type SlowLink } from './latency-proxy.js';

const REQUEST_TIMEOUT_MS = 1_000;
const LATENCY_MS = 350;
// The failing call (one round trip) plus one shared request timeout for all follow-up reads, plus slack;
// one request timeout per follow-up read (about a dozen here) would take several seconds.
const BOUND_MS = LATENCY_MS + REQUEST_TIMEOUT_MS + 1_000;

let link: SlowLink;
let direct: Etcd3Backend;
let slow: Etcd3Backend;

beforeAll(async () => {
  link = await startSlowLink(LATENCY_MS, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
  ({ direct, slow } = link);
});

afterAll(async () => {
  await link?.stop();
});

describe('filling in revisions after an error', () => {
  it('shares one request timeout across the follow-up reads on a slow link, then reports the error without them', async () => {
    const p = '/registry/fill/';
    for (let i = 0; i < 1_000; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => direct.optimisticPut(`${p}${i + j}`, enc('v'), 0)));
    }
    // Compacted by another client, so the slow backend has to search for the floor (about a dozen reads).
    const floor = (await direct.get('/registry/x')).revision - 5;
    await direct.compact(floor);
    expect((await slow.get(`${p}1`)).kv).not.toBeNull(); // the slow link works, one round trip at a time

    const read = await timed(() => slow.get(`${p}1`, { revision: 2 }).catch((e: unknown) => e));
    expect(read.ms).toBeLessThan(BOUND_MS);
    expect(read.result).toBeInstanceOf(BackendError);
    expect((read.result as BackendError).code).toBe('Compacted');
    expect([undefined, floor]).toContain((read.result as BackendError).compactRevision);

    const status = await timed(() => slow.status().catch((e: unknown) => e));
    expect(status.ms).toBeLessThan(BOUND_MS);
    if (status.result instanceof Error) expect(isBackendError(status.result, 'Timeout'), String(status.result)).toBe(true);
    else expect(status.result).toMatchObject({ compactRevision: floor });

    // Without the slow link the exact floor is found.
    const err = await direct.get(`${p}1`, { revision: 2 }).catch((e: unknown) => e);
    expect((err as BackendError).compactRevision).toBe(floor);
  });
});
