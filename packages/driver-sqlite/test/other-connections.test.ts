import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, isBackendError } from '@storagebackend/core';
import { createSqliteDriver, type SqliteBackend } from '../src/index.js';
import { Reader, enc, openTemp, sqliteConfig, type Opened } from './helpers.js';

/*
 * Another connection on the same file (here: a second driver in this process) stands in for another process.
 * This side never polls on its own, so each requestProgress() is the moment it notices the other's writes.
 */
describe('following the writes of another connection', () => {
  let t: Opened;
  let other: SqliteBackend;
  beforeEach(async () => {
    t = await openTemp({ pollIntervalMs: 60_000 });
    other = await createSqliteDriver({ pollIntervalMs: 60_000 }).createBackend(sqliteConfig(t.path));
  });
  afterEach(async () => {
    await other.close();
    await t.close();
  });

  it('its compaction cancels only the watches that still need compacted revisions', async () => {
    const behind = new Reader(t.backend.watch('/c/', { prefix: true, startRevision: 2 }));
    const ahead = new Reader(t.backend.watch('/c/', { prefix: true, startRevision: 30 }));
    expect(await behind.within(20)).toBe('timeout');
    expect(await ahead.within(20)).toBe('timeout');
    for (let i = 0; i < 10; i++) await other.optimisticPut(`/c/${i}`, enc('v'), 0); // 2 .. 11
    await other.compact(8);
    await t.backend.requestProgress();
    const err = await behind.within(1000).catch((e: unknown) => e);
    expect(isBackendError(err, 'Compacted')).toBe(true);
    for (let i = 10; i < 30; i++) await other.optimisticPut(`/c/${i}`, enc('v'), 0); // 12 .. 31
    await t.backend.requestProgress();
    const events = await ahead.events(2, 2000);
    expect(events.map((e) => [e.kv.key, e.kv.modRevision])).toEqual([
      ['/c/28', 30],
      ['/c/29', 31],
    ]);
    await ahead.return();
  });

  it('a large backlog reaches a live watch from history, in order, before the next local write', async () => {
    const reader = new Reader(t.backend.watch('/g/', { prefix: true, startRevision: 2, prevKv: true }));
    expect(await reader.within(20)).toBe('timeout');
    await Promise.all(Array.from({ length: 5000 }, (_, i) => other.optimisticPut(`/g/${i % 100}`, enc(String(i)), 0).then(() => undefined)));
    const head = (await other.status()).revision;
    await t.backend.optimisticPut('/g/local', enc('l'), 0);
    const events = await reader.events(head, 10_000);
    expect(events.map((e) => e.kv.modRevision)).toEqual(Array.from({ length: head }, (_, i) => i + 2));
    expect(events.at(-1)!.kv.key).toBe('/g/local');
    await reader.return();
  });

  it("a failure reading the other's writes ends live watches with a BackendError instead of leaving them waiting", async () => {
    const reader = new Reader(t.backend.watch('/e/', { prefix: true, startRevision: 1 }));
    expect(await reader.within(20)).toBe('timeout');
    const raw = new Database(t.path);
    raw.exec('ALTER TABLE history RENAME TO history_gone');
    raw.close();
    await t.backend.requestProgress();
    const err = await reader.within(1000).catch((e: unknown) => e);
    expect(isBackendError(err, 'Internal')).toBe(true);
    expect((err as Error).message).toMatch(/history/);
  });

  it('leases the other granted expire here too, on this side\'s timers; ones it revoked are left alone', async () => {
    const clock = new ManualClock();
    const here = await createSqliteDriver({ clock, pollIntervalMs: 60_000 }).createBackend(sqliteConfig(t.path));
    const there = await createSqliteDriver({ clock, pollIntervalMs: 60_000 }).createBackend(sqliteConfig(t.path));
    const kept = await there.grantLease(10);
    const revoked = await there.grantLease(10);
    await there.optimisticPut('/l/kept', enc('v'), 0, { leaseId: kept.id }); // 2
    await there.optimisticPut('/l/revoked', enc('v'), 0, { leaseId: revoked.id }); // 3
    await here.requestProgress(); // notices the other's writes, and its leases
    await there.revokeLease(revoked.id); // 4
    await there.close();
    clock.advance(9_999);
    expect((await here.get('/l/kept')).kv).not.toBeNull();
    clock.advance(1);
    expect((await here.get('/l/kept')).kv).toBeNull();
    expect((await here.status()).revision).toBe(5);
    await here.close();
  });
});
