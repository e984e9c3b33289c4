import { backendOperationsArbitrary, runOperations } from '@storagebackend/conformance';
import { MemoryBackend } from '@storagebackend/driver-memory';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3Backend } from '../src/backend.js';
import { startEtcd, type EtcdServer } from '../src/testing/index.js';
import { backendFor } from './helpers.js';

// etcd is the reference: the memory driver must answer every random operation sequence exactly as etcd does
// (revisions compared relative to each run's start).
describe('differential: memory driver vs real etcd', () => {
  let etcd: EtcdServer;
  let backend: Etcd3Backend;

  beforeAll(async () => {
    etcd = await startEtcd({ heartbeatIntervalMs: 10, electionTimeoutMs: 100 });
    backend = await backendFor(etcd.endpoint);
  });

  afterAll(async () => {
    await backend?.close();
    await etcd?.stop();
  });

  it('random put/delete/CAS/get/list/count/compact sequences give identical results', { timeout: 120_000 }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(backendOperationsArbitrary(), async (ops) => {
        const keyPrefix = `/differential/${run++}/`;
        const memory = new MemoryBackend();
        try {
          const reference = await runOperations(backend, ops, { keyPrefix });
          expect(await runOperations(memory, ops, { keyPrefix })).toEqual(reference);
        } finally {
          await memory.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
