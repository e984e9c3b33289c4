import { isBackendError } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcdCluster, type EtcdCluster } from '../src/testing/index.js';
import { backendFor, enc } from './helpers.js';

const REQUEST_TIMEOUT_MS = 1_500;
// A hung member costs one request timeout per call that still goes to it, plus a leader election if it led.
const RECOVER_WITHIN_MS = 4 * REQUEST_TIMEOUT_MS + 3_000;

let cluster: EtcdCluster;

beforeAll(async () => {
  cluster = await startEtcdCluster({ size: 3, heartbeatIntervalMs: 50, electionTimeoutMs: 500 });
});

afterAll(async () => {
  await cluster?.stop();
});

/** Reads until one succeeds; returns how long that took. */
async function readUntilOk(read: () => Promise<unknown>, withinMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await read();
      return Date.now() - started;
    } catch (err) {
      expect(isBackendError(err, 'Timeout') || isBackendError(err, 'Unreachable'), String(err)).toBe(true);
      if (Date.now() - started > withinMs) throw new Error(`still failing after ${withinMs} ms: ${String(err)}`);
    }
  }
}

describe('3-member cluster', () => {
  it('moves past a member that stops answering: later reads and writes go to the others', { timeout: 60_000 }, async () => {
    const backend = await backendFor(cluster.endpoints, { requestTimeoutMs: REQUEST_TIMEOUT_MS, watchRetryMaxDelayMs: 200 });
    try {
      // Whichever member calls prefer, one of these rounds hangs exactly that one.
      for (const [i, member] of cluster.members.entries()) {
        await member.kill('SIGSTOP');
        try {
          const took = await readUntilOk(() => backend.get('/registry/cluster/x'), RECOVER_WITHIN_MS);
          expect(took).toBeLessThan(RECOVER_WITHIN_MS);
          // Once moved, calls stay on a live member: no more timeouts.
          for (let n = 0; n < 5; n++) {
            const started = Date.now();
            const res = await backend.optimisticPut(`/registry/cluster/${i}-${n}`, enc('v'), 0);
            expect(res.succeeded).toBe(true);
            expect((await backend.get(`/registry/cluster/${i}-${n}`)).kv?.modRevision).toBe(res.revision);
            expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS);
          }
        } finally {
          await member.kill('SIGCONT');
        }
        await member.waitHealthy(15_000);
      }
    } finally {
      await backend.close();
    }
  });
});
