import { describe, expect, it } from 'vitest';
import { Compactor, ManualClock, newDefaultConfig, type Backend, type ConfigForResource } from '@storagebackend/core';
import { createMemoryDriver } from '../src/index.js';

const INTERVAL_MS = 60_000;
const enc = new TextEncoder();

function config(name: string): ConfigForResource {
  const base = newDefaultConfig('/registry');
  return { ...base, type: 'memory', transport: { ...base.transport, serverList: [name] }, groupResource: { group: '', resource: 'pods' } };
}

/** Counts physical compactions made through a real backend handle. */
function countingCompactions(backend: Backend, calls: number[]): Backend {
  const compact = backend.compact.bind(backend);
  return Object.assign(backend, {
    compact: async (revision: number) => {
      calls.push(revision);
      await compact(revision);
    },
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('Compactor (compact_rev_key protocol)', () => {
  it('three processes sharing one backend compact once per interval, keeping one interval of history', async () => {
    const clock = new ManualClock();
    const driver = createMemoryDriver({ clock });
    const name = `compactors-${Date.now()}`;
    const calls: number[] = [];
    const handles = await Promise.all([0, 1, 2].map(async () => countingCompactions(await driver.createBackend(config(name)), calls)));
    const compactors = handles.map((b) => new Compactor(b, { intervalMs: INTERVAL_MS, clock }));
    compactors.forEach((c) => c.start());
    const writer = handles[0]!;
    const revisionsAtTick: number[] = [];
    try {
      for (let interval = 0; interval < 4; interval++) {
        for (let i = 0; i < 5; i++) await writer.optimisticPut(`/registry/pods/i${interval}-${i}`, enc.encode('x'), 0);
        revisionsAtTick.push((await writer.status()).revision);
        clock.advance(INTERVAL_MS);
        await settle();
      }
      // The first tick only records a revision; every later tick compacts once, to what the previous tick saw.
      expect(calls).toHaveLength(3);
      const status = await writer.status();
      expect(status.compactRevision).toBe(calls.at(-1));
      // Each compaction target is the revision observed at the previous tick (just after its own CAS write).
      for (const [i, target] of calls.entries()) {
        expect(target).toBeGreaterThan(revisionsAtTick[i]!);
        expect(target).toBeLessThanOrEqual(revisionsAtTick[i + 1]!);
      }
      // Every process observes the same compact revision.
      for (const c of compactors) expect(c.compactRevision()).toBe(status.compactRevision);
    } finally {
      for (const c of compactors) await c.stop();
      for (const h of handles) await h.close();
    }
  });

  it('interval 0 never compacts, and compactTo moves the shared clock for everyone', async () => {
    const driver = createMemoryDriver();
    const name = `compact-to-${Date.now()}`;
    const a = await driver.createBackend(config(name));
    const b = await driver.createBackend(config(name));
    const first = new Compactor(a, { intervalMs: 0 });
    const second = new Compactor(b, { intervalMs: 0 });
    first.start();
    try {
      let rev = 0;
      for (let i = 0; i < 4; i++) rev = (await a.optimisticPut(`/registry/k${i}`, enc.encode('v'), 0)).revision;
      expect((await a.status()).compactRevision).toBe(0);
      await first.compactTo(rev - 1);
      expect((await a.status()).compactRevision).toBe(rev - 1);
      // The other process lost no race: it adopts the shared clock, then compacts further itself.
      await second.compactTo(rev);
      expect(await second.refresh()).toBe(rev);
      expect(await first.refresh()).toBe(rev);
    } finally {
      await first.stop();
      await second.stop();
      await a.close();
      await b.close();
    }
  });
});
