import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { backendOperationsArbitrary, runOperations } from '@storagebackend/conformance';
import { forResource, newDefaultConfig } from '@storagebackend/core';
import { createMemoryDriver } from '@storagebackend/driver-memory';
import { createSqliteDriver } from '../src/index.js';
import { sqliteConfig, tempDir } from './helpers.js';

const { dir, cleanup } = tempDir();
afterAll(() => cleanup());

describe('differential: sqlite vs memory driver', () => {
  it('random operation sequences give identical results', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(backendOperationsArbitrary(), async (ops) => {
        run++;
        const sqlite = await createSqliteDriver().createBackend(sqliteConfig(join(dir, `d${run}.db`)));
        const base = newDefaultConfig('/registry');
        const memory = await createMemoryDriver().createBackend(
          forResource({ ...base, type: 'memory', transport: { ...base.transport, serverList: [`diff-${run}`] } }, { group: '', resource: 'pods' }),
        );
        try {
          const keyPrefix = '/diff/';
          const [a, b] = [await runOperations(sqlite, ops, { keyPrefix }), await runOperations(memory, ops, { keyPrefix })];
          expect(a).toEqual(b);
        } finally {
          await sqlite.close();
          await memory.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
