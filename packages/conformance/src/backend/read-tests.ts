import { describe, expect, it } from 'vitest';
import type { Backend, KeyValue } from '@storagebackend/core';
import type { ConformanceTarget } from '../target.js';
import { bytes, currentRevision, expectBackendError, openBackend, put, remove, summary, text, uniquePrefix } from './support.js';

const keysOf = (kvs: readonly KeyValue[]): string[] => kvs.map((kv) => kv.key);
const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function putAll(backend: Backend, keys: readonly string[]): Promise<void> {
  for (const key of keys) await put(backend, key, `v:${key}`);
}

/** Reads every page of `prefix` at one revision, following continueKey = lastKey + '\0'. */
async function readPages(backend: Backend, prefix: string, limit: number, revision?: number) {
  const pages: Array<{ keys: string[]; count: number }> = [];
  let continueKey: string | undefined;
  let pinned = revision;
  for (let guard = 0; guard < 100; guard++) {
    const page = await backend.list(prefix, {
      limit,
      ...(pinned === undefined ? {} : { revision: pinned }),
      ...(continueKey === undefined ? {} : { continueKey }),
    });
    pinned ??= page.revision;
    pages.push({ keys: keysOf(page.kvs), count: page.count });
    const last = page.kvs.at(-1);
    if (last === undefined || page.count <= page.kvs.length) return pages;
    continueKey = `${last.key}\0`;
  }
  throw new Error('pagination did not terminate after 100 pages');
}

/**
 * Reads: get and list at past revisions, pagination, count over the whole remaining range, UTF-8 byte order,
 * prefix isolation and FutureRevision.
 *
 * @example
 * describe('my driver', () => backendReadTests({ name: 'mine', createBackend }));
 */
export function backendReadTests(target: ConformanceTarget): void {
  describe('reads', () => {
    it('get returns null for an absent key and the current revision', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('read');
      const rev = await put(backend, `${p}a`, '1');
      expect(await backend.get(`${p}b`)).toMatchObject({ kv: null, revision: rev });
    });

    it('get at a past revision returns the value as of that revision', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('read');
      const key = `${p}a`;
      const before = await put(backend, `${p}other`, 'x');
      const r1 = await put(backend, key, 'one');
      const r2 = await put(backend, key, 'two');
      const r3 = await remove(backend, key);
      await put(backend, `${p}other`, 'y');
      const current = await currentRevision(backend);

      const at = async (revision: number) => (await backend.get(key, { revision })).kv;
      expect(await at(before), 'before creation').toBeNull();
      expect(summary(await at(r1))).toMatchObject({ value: 'one', modRevision: r1, createRevision: r1, version: 1 });
      expect(summary(await at(r2))).toMatchObject({ value: 'two', modRevision: r2, createRevision: r1, version: 2 });
      expect(await at(r3), 'at the delete').toBeNull();
      expect(await at(current), 'at the current revision').toBeNull();
      const past = await backend.get(key, { revision: r1 });
      expect([r1, current], 'get().revision is the requested or the current revision').toContain(past.revision);
      expect(await currentRevision(backend)).toBe(current);
    });

    it('list at a past revision returns the keys and count as of that revision', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('read');
      await putAll(backend, [`${p}a`, `${p}b`]);
      const snapshot = await currentRevision(backend);
      await put(backend, `${p}c`, 'new');
      await put(backend, `${p}a`, 'changed');
      await remove(backend, `${p}b`);

      const past = await backend.list(p, { revision: snapshot });
      expect(past.kvs.map((kv) => [kv.key, text(kv.value)])).toEqual([
        [`${p}a`, `v:${p}a`],
        [`${p}b`, `v:${p}b`],
      ]);
      expect(past.count).toBe(2);
      const now = await backend.list(p);
      expect(now.kvs.map((kv) => [kv.key, text(kv.value)])).toEqual([
        [`${p}a`, 'changed'],
        [`${p}c`, 'new'],
      ]);
      expect(now.count).toBe(2);
      expect(await backend.count(p)).toBe(2);
    });

    it('pagination with continueKey = lastKey + "\\0" visits every key once at a pinned revision', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('read');
      const keys = Array.from({ length: 10 }, (_, i) => `${p}k${String(i).padStart(2, '0')}`);
      await putAll(backend, keys);
      const revision = await currentRevision(backend);

      const first = await backend.list(p, { limit: 3 });
      expect(keysOf(first.kvs)).toEqual(keys.slice(0, 3));
      expect(first.count, 'count is every key in the range, not the page size').toBe(10);

      // Writes between pages must not show up in pages read at the first page's revision.
      await put(backend, `${p}k04`, 'changed');
      await put(backend, `${p}k045`, 'inserted');
      await remove(backend, `${p}k07`);

      const second = await backend.list(p, { limit: 3, revision, continueKey: `${keys[2]}\0` });
      expect(keysOf(second.kvs)).toEqual(keys.slice(3, 6));
      expect(second.count, 'count covers [continueKey, end of prefix)').toBe(7);
      expect(text(second.kvs[1]!.value)).toBe(`v:${keys[4]}`);

      const pages = await readPages(backend, p, 3, revision);
      expect(pages.flatMap((page) => page.keys)).toEqual(keys);
      expect(pages.map((page) => page.count)).toEqual([10, 7, 4, 1]);

      const latest = await readPages(backend, p, 4);
      const now = [...keys.filter((k) => k !== `${p}k07`), `${p}k045`].sort(utf8Order);
      expect(latest.flatMap((page) => page.keys)).toEqual(now);
    });

    it('limit 0 or absent means no limit; a limit beyond the range returns everything', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('read');
      const keys = [`${p}a`, `${p}b`, `${p}c`];
      await putAll(backend, keys);
      expect(keysOf((await backend.list(p)).kvs)).toEqual(keys);
      expect(keysOf((await backend.list(p, { limit: 0 })).kvs)).toEqual(keys);
      const big = await backend.list(p, { limit: 50 });
      expect({ keys: keysOf(big.kvs), count: big.count }).toEqual({ keys, count: 3 });
      const empty = await backend.list(`${p}none/`);
      expect({ kvs: empty.kvs, count: empty.count }).toEqual({ kvs: [], count: 0 });
    });

    it('lists in UTF-8 byte order, including non-ASCII and astral keys', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('read');
      // U+FFFD sorts before U+1F600 in UTF-8 but after it in UTF-16; 'B' < 'a' bytewise.
      const suffixes = ['a', 'B', 'é', 'z', '日本', '😀', '\uFFFD', 'a b', 'a-b', 'aa', '~', 'Z9', '0'];
      const keys = suffixes.map((s) => `${p}${s}`);
      await putAll(backend, keys);
      const expected = [...keys].sort(utf8Order);
      expect(keysOf((await backend.list(p)).kvs)).toEqual(expected);
      const pages = await readPages(backend, p, 2);
      expect(pages.flatMap((page) => page.keys)).toEqual(expected);
      expect(summary((await backend.get(`${p}😀`)).kv)?.value).toBe(`v:${p}😀`);
    });

    it('a prefix sees only its own keys: /a/ never sees /ab/, wildcards are literal', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('read');
      await putAll(backend, [
        `${p}a`,
        `${p}a/`,
        `${p}a/1`,
        `${p}a/2/deep`,
        `${p}a0`,
        `${p}ab/1`,
        `${p}b/1`,
        `${p}x_/1`,
        `${p}xy/1`,
        `${p}%/1`,
        `${p}q/1`,
      ]);
      expect(keysOf((await backend.list(`${p}a/`)).kvs)).toEqual([`${p}a/`, `${p}a/1`, `${p}a/2/deep`]);
      expect(await backend.count(`${p}a/`)).toBe(3);
      expect(keysOf((await backend.list(`${p}ab/`)).kvs)).toEqual([`${p}ab/1`]);
      expect(keysOf((await backend.list(`${p}x_/`)).kvs), "'_' is not a wildcard").toEqual([`${p}x_/1`]);
      expect(keysOf((await backend.list(`${p}%/`)).kvs), "'%' is not a wildcard").toEqual([`${p}%/1`]);
      expect(await backend.count(`${p}x_/`)).toBe(1);
      expect(await backend.count(p)).toBe(11);
      expect((await backend.list(`${p}a`)).count, 'the bare prefix a covers a, a/, a/1, a/2/deep, a0, ab/1').toBe(6);
    });

    it('reads at a revision beyond the current one fail with FutureRevision', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('read');
      const current = await put(backend, `${p}a`, '1');
      await expectBackendError(backend.get(`${p}a`, { revision: current + 1 }), 'FutureRevision', 'get at current+1');
      await expectBackendError(backend.list(p, { revision: current + 100 }), 'FutureRevision', 'list at current+100');
      expect(await currentRevision(backend)).toBe(current);
      expect(summary((await backend.get(`${p}a`, { revision: current })).kv)?.value).toBe('1');
    });
  });
}
