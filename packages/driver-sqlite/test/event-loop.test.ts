import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@storagebackend/core';
import { createSqliteDriver } from '../src/index.js';
import { enc, openTemp, sqliteConfig, type Opened } from './helpers.js';

/**
 * Counts turns of the event loop: a callback queued with setImmediate (a macrotask, like a timer or an I/O
 * callback) that re-queues itself. Work chained in microtasks starves it; work that yields lets it run.
 */
function loopTurns(): { readonly count: () => number; stop: () => void } {
  let turns = 0;
  let handle: NodeJS.Immediate | null = null;
  const tick = (): void => {
    turns++;
    handle = setImmediate(tick);
  };
  handle = setImmediate(tick);
  return { count: () => turns, stop: () => void (handle && clearImmediate(handle)) };
}

describe('long-running work yields to the event loop between batches', () => {
  let t: Opened | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('compaction lets other callbacks run between its clean-up batches', async () => {
    t = await openTemp({ compactBatchSize: 100 });
    const mods = new Array<number>(100).fill(0);
    for (let wave = 0; wave < 60; wave++) {
      const results = await Promise.all(mods.map((mod, k) => t!.backend.optimisticPut(`/c/${k}`, enc('v'), mod)));
      results.forEach((r, k) => (mods[k] = r.revision));
    }
    const { revision } = await t.backend.status();
    // 6,000 history rows in batches of 100: some 60 clean-up transactions.
    let turnsDuring = -1;
    const turns = loopTurns();
    await t.backend.compact(revision).finally(() => (turnsDuring = turns.count()));
    turns.stop();
    expect(await t.backend.count('/c/')).toBe(100);
    expect(turnsDuring).toBeGreaterThanOrEqual(30);
  }, 60_000);

  it('expiring the leases that fell due while the file was closed lets other callbacks run between batches', async () => {
    const clock = new ManualClock();
    t = await openTemp({ clock });
    // 1,500 leases with a key each, overdue at the next open: 15 expiry batches.
    await Promise.all(
      Array.from({ length: 1500 }, async (_, i) => {
        const lease = await t!.backend.grantLease(10);
        await t!.backend.optimisticPut(`/l/${i}`, enc('v'), 0, { leaseId: lease.id });
      }),
    );
    await t.backend.close();
    const later = new ManualClock(clock.now() + 60_000);
    const turns = loopTurns();
    const reopened = await createSqliteDriver({ clock: later }).createBackend(sqliteConfig(t.path));
    const turnsDuring = turns.count();
    turns.stop();
    try {
      expect(await reopened.count('/l/')).toBe(0);
      expect(turnsDuring).toBeGreaterThanOrEqual(8);
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
