import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { isBackendError } from '@storagebackend/core';
import { enc, openTemp, type Opened } from './helpers.js';

describe('another connection holding the write lock', () => {
  let t: Opened | undefined;
  afterEach(async () => {
    await t?.close();
  });

  it('a write waits without blocking the event loop, reads keep working, and it commits once the lock is free', async () => {
    t = await openTemp();
    await t.backend.optimisticPut('/a', enc('1'), 0);
    const other = new Database(t.path);
    other.prepare('BEGIN IMMEDIATE').run();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const write = t.backend.optimisticPut('/b', enc('2'), 0);
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.backend.get('/a')).kv).not.toBeNull();
    other.prepare('COMMIT').run();
    other.close();
    expect(await write).toEqual({ succeeded: true, revision: 3, kv: null });
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(10);
  });

  it('gives up with Timeout after busyTimeoutMs and writes nothing', async () => {
    t = await openTemp({}, { busyTimeoutMs: 100 });
    const other = new Database(t.path);
    other.prepare('BEGIN IMMEDIATE').run();
    const started = Date.now();
    const err = await t.backend.optimisticPut('/b', enc('2'), 0).catch((e: unknown) => e);
    expect(isBackendError(err, 'Timeout')).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    other.prepare('ROLLBACK').run();
    other.close();
    expect((await t.backend.status()).revision).toBe(1);
    expect((await t.backend.optimisticPut('/b', enc('2'), 0)).revision).toBe(2);
  });

  it('opening a file another connection holds locked waits without blocking the event loop, then opens', async () => {
    t = await openTemp({}, { busyTimeoutMs: 3000 });
    await t.backend.close();
    const other = new Database(t.path);
    other.prepare('BEGIN IMMEDIATE').run();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    setTimeout(() => {
      other.prepare('COMMIT').run();
      other.close();
    }, 300);
    const started = Date.now();
    const backend = await t.reopen().finally(() => clearInterval(ticker));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(ticks).toBeGreaterThan(10);
    expect((await backend.optimisticPut('/a', enc('1'), 0)).revision).toBe(2);
  });

  it('opening gives up with Timeout after busyTimeoutMs, without blocking the event loop meanwhile', async () => {
    t = await openTemp({}, { busyTimeoutMs: 300 });
    await t.backend.close();
    const other = new Database(t.path);
    other.prepare('BEGIN IMMEDIATE').run();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const err = await t.reopen().then(() => null, (e: unknown) => e).finally(() => clearInterval(ticker));
    other.prepare('ROLLBACK').run();
    other.close();
    expect(isBackendError(err, 'Timeout')).toBe(true);
    expect((err as Error).message).toContain(t.path);
    expect(ticks).toBeGreaterThan(10);
  });
});
