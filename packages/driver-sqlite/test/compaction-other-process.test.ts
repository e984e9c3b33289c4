import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBackendError } from '@storagebackend/core';
import { createSqliteDriver, type SqliteBackend } from '../src/index.js';
import { Reader, dec, enc, openTemp, sqliteConfig, type Opened } from './helpers.js';

/*
 * A second driver on the same file stands in for another process (the same code path: it sees the writer's
 * commits only by polling). The watching side never polls on its own here: requestProgress() is its poll.
 */
describe("another process's compaction near the head", () => {
  let t: Opened;
  let watcher: SqliteBackend;
  beforeEach(async () => {
    t = await openTemp({ pollIntervalMs: 400 });
    watcher = await createSqliteDriver({ pollIntervalMs: 60_000 }).createBackend(sqliteConfig(t.path));
  });
  afterEach(async () => {
    await watcher.close();
    await t.close();
  });

  it('does not cancel a watch that was in sync: it gets every event up to the floor and beyond, with prevKv', async () => {
    const reader = new Reader(watcher.watch('/k/', { prefix: true, startRevision: 2, prevKv: true }));
    expect(await reader.within(20)).toBe('timeout');
    const w = t.backend;
    await w.optimisticPut('/k/a', enc('1'), 0); // 2
    await w.optimisticPut('/k/a', enc('2'), 2); // 3
    await w.optimisticDelete('/k/a', 3); // 4
    await w.optimisticPut('/k/b', enc('1'), 0); // 5
    const compaction = w.compact(5);
    while ((await watcher.status()).compactRevision !== 5) await new Promise((r) => setTimeout(r, 5));
    // The watching side notices the writes only now, some time after the floor passed them (well within the
    // writer's grace of two of its poll intervals: the clean-up would have been over in a millisecond).
    await new Promise((r) => setTimeout(r, 50));
    await watcher.requestProgress();
    const events = await reader.events(4, 2000);
    expect(events.map((e) => [e.type, e.kv.key, e.kv.modRevision, e.prevKv ? dec(e.prevKv.value) : null])).toEqual([
      ['put', '/k/a', 2, null],
      ['put', '/k/a', 3, '1'],
      ['delete', '/k/a', 4, '2'],
      ['put', '/k/b', 5, null],
    ]);
    await compaction;
    await w.optimisticPut('/k/c', enc('1'), 0); // 6
    await watcher.requestProgress();
    expect((await reader.events(1, 2000)).map((e) => [e.kv.key, e.kv.modRevision])).toEqual([['/k/c', 6]]);
    // The floor holds for reads, and for new watches below it.
    expect(isBackendError(await watcher.get('/k/a', { revision: 4 }).catch((e: unknown) => e), 'Compacted')).toBe(true);
    const late = new Reader(watcher.watch('/k/', { prefix: true, startRevision: 3 }));
    expect(isBackendError(await late.within(1000).catch((e: unknown) => e), 'Compacted')).toBe(true);
    await reader.return();
  });
  it('does not cancel a watch that was in sync when the backlog is too large to follow live and it reads history', async () => {
    const reader = new Reader(watcher.watch('/g/', { prefix: true, startRevision: 2 }));
    expect(await reader.within(20)).toBe('timeout');
    await Promise.all(Array.from({ length: 3000 }, (_, i) => t.backend.optimisticPut(`/g/${i}`, enc(String(i)), 0).then(() => undefined)));
    const head = (await t.backend.status()).revision;
    expect(head).toBeGreaterThan(1001); // more than one live catch-up reads
    const compaction = t.backend.compact(head);
    while ((await watcher.status()).compactRevision !== head) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    await watcher.requestProgress();
    const events = await reader.events(head - 1, 10_000);
    expect(events.map((e) => e.kv.modRevision)).toEqual(Array.from({ length: head - 1 }, (_, i) => i + 2));
    await compaction;
    await reader.return();
  });
});
