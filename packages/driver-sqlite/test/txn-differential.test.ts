import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runTxnSequence, txnSequenceArbitrary } from '@storagebackend/conformance';
import type { Backend, TxnRequest } from '@storagebackend/core';
import { MemoryBackend } from '@storagebackend/driver-memory';
import { createSqliteDriver } from '../src/index.js';
import { sqliteConfig, tempDir } from './helpers.js';

const { dir, cleanup } = tempDir();
afterAll(() => cleanup());

const enc = (s: string) => new TextEncoder().encode(s);

/** Every watch event from `start` on, relative to `base`, until the watch reaches `head`. */
async function eventsSince(backend: Backend, prefix: string, start: number, head: number, base: number) {
  const out: unknown[] = [];
  if (head < start) return out;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    for await (const res of backend.watch(prefix, { prefix: true, startRevision: start, prevKv: true, signal: controller.signal })) {
      for (const e of res.events) {
        out.push([e.type, e.kv.key.slice(prefix.length), e.kv.modRevision - base, new TextDecoder().decode(e.kv.value), e.prevKv?.modRevision ?? 0]);
      }
      if (res.revision >= head) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return out;
}

// Memory's transactions are held to a real etcd by driver-etcd3's differential; SQLite is held to memory, events included.
describe('differential: sqlite transactions vs memory', () => {
  it('random transactions give identical responses, keyspaces and watch events', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(txnSequenceArbitrary(), async (templates) => {
        run++;
        const sqlite = await createSqliteDriver().createBackend(sqliteConfig(join(dir, `t${run}.db`)));
        const memory = new MemoryBackend();
        const prefix = '/txn/';
        try {
          const results = [];
          for (const backend of [sqlite, memory] as Backend[]) {
            const txn = async (request: TxnRequest) => {
              try {
                return await backend.txn!(request);
              } catch (err) {
                throw new Error((err as Error).message);
              }
            };
            const seed: TxnRequest = { compare: [], success: [{ type: 'put', key: `${prefix}a`, value: enc('seed') }], failure: [] };
            for (let i = 0; i < 3; i++) await txn(seed);
            const base = (await backend.status()).revision - 3;
            const outcomes = await runTxnSequence(txn, async (p) => (await backend.list(p)).kvs, templates, prefix, base);
            const head = (await backend.status()).revision;
            results.push({ outcomes, events: await eventsSince(backend, prefix, base + 4, head, base) });
          }
          expect(results[0]).toEqual(results[1]);
        } finally {
          await sqlite.close();
          await memory.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 180_000);
});
