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
  it('pages of a prefix at a past revision are right after many writes elsewhere and some to the prefix itself', async () => {
    const b = t.backend;
    const pod = (i: number): string => `/pods/p${String(i).padStart(2, '0')}`;
    const mods = new Map<string, number>();
    for (let i = 0; i < 20; i++) mods.set(pod(i), (await b.optimisticPut(pod(i), enc(`a${i}`), 0)).revision); // 2 .. 21
    const then = 21;
    await b.optimisticDelete(pod(3), mods.get(pod(3))!);
    let r = await b.optimisticPut(pod(5), enc('b5'), mods.get(pod(5))!);
    await b.optimisticPut(pod(5), enc('c5'), r.revision);
    await b.optimisticDelete(pod(7), mods.get(pod(7))!);
    await b.optimisticPut(pod(7), enc('b7'), 0);
    await b.optimisticPut(pod(20), enc('new'), 0);
    const others = new Array<number>(50).fill(0);
    for (let w = 0; w < 10; w++) {
      const done = await Promise.all(others.map((mod, k) => b.optimisticPut(`/other/${k}`, enc('x'), mod)));
      done.forEach((d, k) => (others[k] = d.revision));
    }
    const head = (await b.status()).revision;
    const seen: string[] = [];
    let continueKey: string | undefined;
    for (let page = 0; page < 4; page++) {
      const res = await b.list('/pods/', { revision: then, limit: 5, ...(continueKey ? { continueKey } : {}) });
      expect(res.revision).toBe(head);
      expect(res.count).toBe(20 - page * 5);
      seen.push(...res.kvs.map((kv) => `${kv.key}=${dec(kv.value)}@${kv.modRevision}`));
      continueKey = `${res.kvs.at(-1)!.key}\u0000`;
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => `${pod(i)}=a${i}@${i + 2}`));
    // Just after the first update of p05 (revision 23): p03 gone, p05 at b5, p07 and p20 as they were.
    const mid = await b.list('/pods/', { revision: 23 });
    expect(mid.count).toBe(19);
    expect(mid.kvs.map((kv) => kv.key)).not.toContain(pod(3));
    expect(dec(mid.kvs.find((kv) => kv.key === pod(5))!.value)).toBe('b5');
  });
});
