import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../src/index.js';
import { bytes, expectCode } from './helpers.js';

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('list', () => {
  it('returns keys in UTF-8 byte order, including non-ASCII and astral keys', async () => {
    const backend = new MemoryBackend();
    // UTF-16 order would put the astral key (a surrogate pair) before U+FF5E and U+E000; byte order puts it last.
    const names = ['z', 'é', '\uff5e', '\ue000', '😀', 'Z', 'a', 'a\u0000', '\u00ff'];
    for (const name of names) await backend.optimisticPut(`/p/${name}`, bytes(name), 0);
    const { kvs, count } = await backend.list('/p/');
    expect(kvs.map((kv) => kv.key)).toEqual(names.map((n) => `/p/${n}`).sort(byteOrder));
    expect(kvs.at(-1)!.key).toBe('/p/😀');
    expect(count).toBe(names.length);
  });

  it('byte order holds for any set of keys, across many inserts and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), { maxLength: 60 }), async (names) => {
        const backend = new MemoryBackend();
        for (const name of names) await backend.optimisticPut(`/q/${name}`, bytes('x'), 0);
        const dropped = names.filter((_, i) => i % 3 === 0);
        for (const name of dropped) await backend.optimisticDelete(`/q/${name}`, (await backend.get(`/q/${name}`)).kv!.modRevision);
        const kept = names.filter((_, i) => i % 3 !== 0).map((n) => `/q/${n}`).sort(byteOrder);
        expect((await backend.list('/q/')).kvs.map((kv) => kv.key)).toEqual(kept);
      }),
      { numRuns: 50 },
    );
  });

  it('a prefix covers only its own keys', async () => {
    const backend = new MemoryBackend();
    for (const key of ['/a', '/a/1', '/a/2', '/ab/1', '/a0', '/b/1', '/a/'] as const) {
      await backend.optimisticPut(key, bytes('x'), 0);
    }
    expect((await backend.list('/a/')).kvs.map((kv) => kv.key)).toEqual(['/a/', '/a/1', '/a/2']);
    expect(await backend.count('/a/')).toBe(3);
    expect(await backend.count('/a')).toBe(6);
    expect(await backend.count('')).toBe(7);
    expect(await backend.count('/c/')).toBe(0);
  });

  it('paginates with limit and continueKey; count covers [continueKey, end of prefix)', async () => {
    const backend = new MemoryBackend();
    const keys = Array.from({ length: 7 }, (_, i) => `/pods/ns/p${i}`);
    for (const key of keys) await backend.optimisticPut(key, bytes('x'), 0);
    await backend.optimisticPut('/pods/other', bytes('x'), 0);
    const pinned = (await backend.status()).revision;

    const first = await backend.list('/pods/ns/', { limit: 3 });
    expect(first.kvs.map((kv) => kv.key)).toEqual(keys.slice(0, 3));
    expect(first.count).toBe(7);
    // A write between pages is invisible to a pinned-revision read.
    await backend.optimisticPut('/pods/ns/p00', bytes('new'), 0);
    const second = await backend.list('/pods/ns/', { limit: 3, revision: pinned, continueKey: `${keys[2]}\u0000` });
    expect(second.kvs.map((kv) => kv.key)).toEqual(keys.slice(3, 6));
    expect(second.count).toBe(4);
    const last = await backend.list('/pods/ns/', { limit: 3, revision: pinned, continueKey: `${keys[5]}\u0000` });
    expect(last.kvs.map((kv) => kv.key)).toEqual(keys.slice(6));
    expect(last.count).toBe(1);
    expect((await backend.list('/pods/ns/', { limit: 0 })).kvs).toHaveLength(8);
  });

  it('rejects a continueKey outside the prefix', async () => {
    const backend = new MemoryBackend();
    await expectCode(backend.list('/pods/', { continueKey: '/other/x' }), 'InvalidArgument');
  });

  it('keeps order and counts with many keys inserted out of order', async () => {
    const backend = new MemoryBackend();
    const n = 5000;
    const order = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    for (const i of order) await backend.optimisticPut(`/m/${i}`, bytes('x'), 0);
    for (let i = 0; i < n; i += 2) await backend.optimisticDelete(`/m/${i}`, (await backend.get(`/m/${i}`)).kv!.modRevision);
    await backend.compact((await backend.status()).revision);
    const { kvs, count } = await backend.list('/m/');
    const expected = Array.from({ length: n / 2 }, (_, i) => `/m/${2 * i + 1}`).sort();
    expect(kvs.map((kv) => kv.key)).toEqual(expected);
    expect(count).toBe(n / 2);
    expect((await backend.list('/m/1', { limit: 2 })).kvs.map((kv) => kv.key)).toEqual(['/m/1', '/m/1001']);
  });
});

describe('count', () => {
  it('matches a model for any prefix and continueKey after random creates, deletes and compactions', async () => {
    const backend = new MemoryBackend();
    const live = new Map<string, number>();
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ['a', 'b', 'é', '😀', '/'];
    const keyOf = () => `/c/${Array.from({ length: 1 + random(6) }, () => alphabet[random(alphabet.length)]).join('')}`;
    for (let i = 0; i < 6000; i++) {
      const key = keyOf();
      const mod = live.get(key);
      if (mod === undefined) live.set(key, (await backend.optimisticPut(key, bytes('x'), 0)).revision);
      else if (random(3) === 0) {
        await backend.optimisticDelete(key, mod);
        live.delete(key);
      } else live.set(key, (await backend.optimisticPut(key, bytes('y'), mod)).revision);
      if (i % 1500 === 1499) await backend.compact((await backend.status()).revision - 100);
    }
    const sorted = [...live.keys()].sort(byteOrder);
    for (let i = 0; i < 200; i++) {
      const prefix = `/c/${keyOf().slice(3, 3 + random(3))}`;
      const inPrefix = sorted.filter((k) => k.startsWith(prefix));
      const start = inPrefix[random(inPrefix.length + 1)] ?? prefix;
      const expected = inPrefix.filter((k) => byteOrder(k, start) >= 0);
      const page = await backend.list(prefix, { limit: 3, continueKey: start });
      expect(page.count, `count of ${prefix} from ${start}`).toBe(expected.length);
      expect(page.kvs.map((kv) => kv.key)).toEqual(expected.slice(0, 3));
      if (i % 20 === 0) expect(await backend.count(prefix)).toBe(inPrefix.length);
    }
  });
});
