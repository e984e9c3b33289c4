import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareKeys, isBackendError } from '@storagebackend/core';
import { dec, enc, openTemp, type Opened } from './helpers.js';

describe('list and count', () => {
  let t: Opened;
  beforeEach(async () => {
    t = await openTemp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists a prefix in UTF-8 byte order with limit, continue key and full-range count', async () => {
    const b = t.backend;
    const keys = ['/p/b', '/p/a', '/p/\uffff', '/p/😀', '/p/a\u0000', '/p/Z', '/q/x', '/p'];
    for (const key of keys) await b.optimisticPut(key, enc(key), 0);
    const expected = keys.filter((k) => k.startsWith('/p/')).sort(compareKeys);
    expect(expected).toEqual(['/p/Z', '/p/a', '/p/a\u0000', '/p/b', '/p/\uffff', '/p/😀']);

    const all = await b.list('/p/');
    expect(all.kvs.map((kv) => kv.key)).toEqual(expected);
    expect(all.count).toBe(6);
    expect(all.revision).toBe(9);

    const page1 = await b.list('/p/', { limit: 2 });
    expect(page1.kvs.map((kv) => kv.key)).toEqual(expected.slice(0, 2));
    expect(page1.count).toBe(6);
    const page2 = await b.list('/p/', { limit: 2, continueKey: page1.kvs[1]!.key + '\u0000' });
    expect(page2.kvs.map((kv) => kv.key)).toEqual(expected.slice(2, 4));
    expect(page2.count).toBe(4);
    const page3 = await b.list('/p/', { limit: 10, continueKey: page2.kvs[1]!.key + '\u0000' });
    expect(page3.kvs.map((kv) => kv.key)).toEqual(expected.slice(4));
    expect(page3.count).toBe(2);

    expect(await b.count('/p/')).toBe(6);
    expect(await b.count('')).toBe(8);
    expect((await b.list('')).kvs).toHaveLength(8);
    expect(await b.list('/none/')).toEqual({ kvs: [], count: 0, revision: 9 });
  });

  it('list and get at past revisions match a model of every revision, before and after compaction', async () => {
    const b = t.backend;
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const state = new Map<string, { mod: number; value: string }>();
    const snapshots = new Map<number, Map<string, string>>();
    snapshots.set(1, new Map());
    let rev = 1;
    for (let i = 0; i < 400; i++) {
      const key = `/r/${String.fromCharCode(97 + rand(6))}/${rand(8)}`;
      const cur = state.get(key);
      if (cur && rand(3) === 0) {
        const r = await b.optimisticDelete(key, cur.mod);
        rev = r.revision;
        state.delete(key);
      } else {
        const value = `v${i}`;
        const r = await b.optimisticPut(key, enc(value), cur?.mod ?? 0);
        rev = r.revision;
        state.set(key, { mod: rev, value });
      }
      snapshots.set(rev, new Map([...state].map(([k, v]) => [k, v.value])));
    }
    const check = async (revision: number): Promise<void> => {
      const snap = snapshots.get(revision)!;
      for (const prefix of ['/r/', '/r/a/', '/r/c/', '']) {
        const keys = [...snap.keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys);
        const limit = 1 + rand(7);
        const start = keys.length > 2 ? keys[rand(keys.length)]! : prefix;
        const fromStart = keys.filter((k) => compareKeys(k, start) >= 0);
        const res = await b.list(prefix, { revision, limit, continueKey: start });
        expect(res.kvs.map((kv) => kv.key)).toEqual(fromStart.slice(0, limit));
        expect(res.kvs.map((kv) => dec(kv.value))).toEqual(fromStart.slice(0, limit).map((k) => snap.get(k)));
        expect(res.count).toBe(fromStart.length);
        expect(res.revision).toBe(rev);
        const full = await b.list(prefix, { revision });
        expect(full.kvs.map((kv) => kv.key)).toEqual(keys);
      }
      for (const key of everKeys) {
        const got = await b.get(key, { revision });
        expect(got.kv ? dec(got.kv.value) : undefined, `${key}@${revision}`).toBe(snap.get(key));
        expect(got.revision).toBe(rev);
      }
    };
    const everKeys = [...new Set([...snapshots.values()].flatMap((m) => [...m.keys()]))];
    for (let r = 1; r <= rev; r += 7) await check(r);
    await check(rev);
    const floor = 200;
    await b.compact(floor);
    for (let r = floor; r <= rev; r += 5) await check(r);
    const err = await b.list('/r/', { revision: floor - 1 }).catch((e: unknown) => e);
    expect(isBackendError(err, 'Compacted')).toBe(true);
    const future = await b.list('/r/', { revision: rev + 1 }).catch((e: unknown) => e);
    expect(isBackendError(future, 'FutureRevision')).toBe(true);
  });
});
