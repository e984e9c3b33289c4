import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { backendOperationsArbitrary } from './operations.js';
import { ReferenceModel } from './reference-model.js';
import { runOperations } from './run-operations.js';
import { uniquePrefix } from './support.js';

/** Bounds that keep a run against a real etcd well under 30 seconds. */
const NUM_RUNS = 30;
const MAX_OPS = 40;

/**
 * Random sequences of put / delete / CAS / get / list / count / compact against the ReferenceModel: the backend
 * must give identical results (revisions relative to the start revision).
 *
 * @example
 * describe('my driver', () => backendPropertyTests({ name: 'mine', createBackend }));
 */
export function backendPropertyTests(target: ConformanceTarget): void {
  describe('model-based property', () => {
    it(`random operation sequences match the reference MVCC model (${NUM_RUNS} runs of ≤ ${MAX_OPS} ops)`, { timeout: 60_000 }, async () => {
      const probe = await target.createBackend();
      const compaction = probe.capabilities.compaction;
      await probe.close();

      await fc.assert(
        fc.asyncProperty(backendOperationsArbitrary({ compaction, maxLength: MAX_OPS }), async (ops) => {
          const backend = await target.createBackend();
          try {
            const keyPrefix = uniquePrefix('prop');
            const actual = await runOperations(backend, ops, { keyPrefix });
            const expected = await runOperations(new ReferenceModel(), ops, { keyPrefix });
            expect(actual).toEqual(expected);
          } finally {
            await backend.close();
          }
        }),
        { numRuns: NUM_RUNS },
      );
    });
  });
}
