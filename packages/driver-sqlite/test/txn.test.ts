import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dec, enc, openTemp, type Opened } from './helpers.js';

describe('transactions on SQLite', () => {
  let t: Opened;
  beforeEach(async () => {
    t = await openTemp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('keys written together stay readable at that revision after later writes, reopen and compaction', async () => {
    const b = t.backend;
    const put = (key: string, value: string) => ({ type: 'put' as const, key, value: enc(value) });
    const first = (await b.optimisticPut('/t/c', enc('c0'), 0)).revision;
    const together = await b.txn({ compare: [], success: [put('/t/a', 'a1'), put('/t/b', 'b1'), put('/t/c', 'c1')], failure: [] });
    const later = (await b.optimisticPut('/t/b', enc('b2'), together.revision)).revision;
    await b.optimisticDelete('/t/c', together.revision);
    await b.txn({ compare: [], success: [put('/t/d', 'd1'), put('/t/a', 'a2')], failure: [] });
    expect(dec((await b.get('/t/a', { revision: together.revision })).kv!.value)).toBe('a1');
    for (const backend of [b, await t.reopen()]) {
      expect(dec((await backend.get('/t/b', { revision: together.revision })).kv!.value)).toBe('b1');
      expect(dec((await backend.get('/t/c', { revision: together.revision })).kv!.value)).toBe('c1');
      // Before the transaction: reached from rows the transaction numbered after the first of its revision.
      expect(dec((await backend.get('/t/c', { revision: first })).kv!.value)).toBe('c0');
      expect((await backend.list('/t/', { revision: first })).kvs.map((kv) => dec(kv.value))).toEqual(['c0']);
      const then = await backend.list('/t/', { revision: together.revision });
      expect(then.kvs.map((kv) => [kv.key, dec(kv.value), kv.modRevision])).toEqual([
        ['/t/a', 'a1', together.revision],
        ['/t/b', 'b1', together.revision],
        ['/t/c', 'c1', together.revision],
      ]);
      expect((await backend.get('/t/b')).kv).toMatchObject({ modRevision: later, version: 2, createRevision: together.revision });
    }
    await b.compact(later);
    expect(dec((await b.get('/t/b', { revision: later })).kv!.value)).toBe('b2');
    expect((await b.get('/t/c', { revision: later })).kv?.modRevision).toBe(together.revision);
  });

  it('a migrated version-1 file keeps its data and takes transactions', async () => {
    await t.backend.optimisticPut('/t/x', enc('old'), 0);
    await t.backend.close();
    // Make the file what a version-1 driver wrote: no mod_sub column.
    const raw = new Database(t.path);
    raw.exec('ALTER TABLE current DROP COLUMN mod_sub; DELETE FROM schema_migrations WHERE version = 2; PRAGMA user_version = 1;');
    raw.close();
    const reopened = await t.reopen();
    expect(dec((await reopened.get('/t/x')).kv!.value)).toBe('old');
    const res = await reopened.txn({ compare: [{ key: '/t/x', target: 'value', result: '=', value: enc('old') }], success: [{ type: 'put', key: '/t/x', value: enc('new') }], failure: [] });
    expect(res.succeeded).toBe(true);
    expect(dec((await reopened.get('/t/x', { revision: res.revision - 1 })).kv!.value)).toBe('old');
  });
});
