import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enc, openTemp, type Opened } from './helpers.js';

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

describe('compaction', () => {
  let t: Opened;
  beforeEach(async () => {
    t = await openTemp();
  });
  afterEach(async () => {
    await t.close();
  });

  /** Updates each of `keys` keys once per wave, concurrently (group commit). */
  async function updateWaves(mods: number[], waves: number, value: Uint8Array): Promise<void> {
    for (let w = 0; w < waves; w++) {
      const results = await Promise.all(mods.map((mod, k) => t.backend.optimisticPut(`/c/${k}`, value, mod)));
      results.forEach((r, k) => {
        expect(r.succeeded).toBe(true);
        mods[k] = r.revision;
      });
    }
  }

  it('keeps file + WAL bounded under 20k updates of 100 keys with compaction every 1000 writes', async () => {
    const value = enc('v'.repeat(400));
    const mods = new Array<number>(100).fill(0);
    const sizes: number[] = [];
    for (let round = 0; round < 20; round++) {
      await updateWaves(mods, 10, value);
      const { revision } = await t.backend.status();
      await t.backend.compact(revision);
      sizes.push(fileSize(t.path) + fileSize(`${t.path}-wal`));
    }
    expect((await t.backend.status()).revision).toBe(20_001);
    const early = Math.max(...sizes.slice(0, 4));
    const late = Math.max(...sizes.slice(10));
    expect(late).toBeLessThanOrEqual(early * 1.25);
    expect(late).toBeLessThan(4 * 1024 * 1024);

    const raw = new Database(t.path, { readonly: true });
    const rows = raw.prepare('SELECT count(*) FROM history').pluck().get() as number;
    raw.close();
    expect(rows).toBe(100); // one live version per key survives
    const { kvs } = await t.backend.list('/c/');
    expect(kvs.map((kv) => kv.modRevision).sort((a, b) => a - b)).toEqual([...mods].sort((a, b) => a - b));
    expect(kvs.every((kv) => kv.version === 200)).toBe(true);
  }, 120_000);

  it('cleans a large history in batches without holding up writers', async () => {
    const value = enc('w'.repeat(100));
    const mods = new Array<number>(100).fill(0);
    await updateWaves(mods, 300, value); // 30k history rows
    const { revision } = await t.backend.status();
    let compacting = true;
    const compaction = t.backend.compact(revision).finally(() => (compacting = false));
    let worst = 0;
    let writesDuring = 0;
    while (compacting) {
      const started = performance.now();
      const r = await t.backend.optimisticPut('/side', value, 0).then((res) =>
        res.succeeded ? t.backend.optimisticDelete('/side', res.revision) : res,
      );
      expect(r.succeeded).toBe(true);
      worst = Math.max(worst, performance.now() - started);
      writesDuring++;
    }
    await compaction;
    expect(writesDuring).toBeGreaterThan(5);
    expect(worst).toBeLessThan(250);
  }, 120_000);

  it('gives space back to the file system when compaction freed most of the file', async () => {
    const mods = new Array<number>(50).fill(0);
    await updateWaves(mods, 200, enc('z'.repeat(2000))); // ~20 MB of history
    const grown = fileSize(t.path) + fileSize(`${t.path}-wal`);
    expect(grown).toBeGreaterThan(15 * 1024 * 1024);
    await t.backend.compact((await t.backend.status()).revision);
    const shrunk = fileSize(t.path) + fileSize(`${t.path}-wal`);
    expect(shrunk).toBeLessThan(grown / 4);
    const status = await t.backend.status();
    expect(status.dbSizeBytes).toBeLessThan(grown / 4);
    expect(await t.backend.count('/c/')).toBe(50);
  }, 120_000);

  it('resumes an interrupted clean-up when the file is reopened', async () => {
    const value = enc('x');
    const mods = new Array<number>(10).fill(0);
    await updateWaves(mods, 50, value);
    const { revision } = await t.backend.status();
    // Raise the floor only, as if the process died right after: the clean-up has not run.
    const raw = new Database(t.path);
    raw.prepare(`UPDATE meta SET value = ? WHERE name = 'compact_revision'`).run(revision);
    raw.close();
    await t.backend.close();
    const again = await t.reopen();
    const deadline = Date.now() + 5000;
    let rows = Number.POSITIVE_INFINITY;
    while (rows > 10 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      const check = new Database(t.path, { readonly: true });
      rows = check.prepare('SELECT count(*) FROM history').pluck().get() as number;
      check.close();
    }
    expect(rows).toBe(10);
    expect((await again.status()).compactRevision).toBe(revision);
  });
});
