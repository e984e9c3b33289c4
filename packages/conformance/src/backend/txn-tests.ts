import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { bytes, openBackend, summary, uniquePrefix } from './support.js';

/**
 * Optimistic put and delete: compare on the key's mod revision (0 = must not exist), `getOnFailure`, and the
 * createRevision / modRevision / version / lease fields of what was written.
 *
 * @example
 * describe('my driver', () => backendTxnTests({ name: 'mine', createBackend }));
 */
export function backendTxnTests(target: ConformanceTarget): void {
  describe('optimistic put and delete', () => {
    it('create with expected revision 0 succeeds once and fills the kv fields', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const key = `${uniquePrefix('txn')}a`;
      const created = await backend.optimisticPut(key, bytes('one'), 0);
      expect(created).toMatchObject({ succeeded: true, revision: created.revision, kv: null });
      const { kv } = await backend.get(key);
      expect(summary(kv)).toEqual({
        key,
        value: 'one',
        createRevision: created.revision,
        modRevision: created.revision,
        version: 1,
        lease: '0',
      });

      const again = await backend.optimisticPut(key, bytes('two'), 0, { getOnFailure: true });
      expect(again.succeeded, 'a second create of the same key').toBe(false);
      expect(again.revision).toBe(created.revision);
      expect(summary(again.kv), 'getOnFailure returns the current kv').toEqual(summary(kv));
      expect(summary((await backend.get(key)).kv)?.value, 'the failed create wrote nothing').toBe('one');

      const quiet = await backend.optimisticPut(key, bytes('two'), 0);
      expect(quiet, 'without getOnFailure no kv is returned').toMatchObject({ succeeded: false, revision: created.revision, kv: null });
    });

    it('update succeeds only against the current mod revision', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const key = `${uniquePrefix('txn')}a`;
      const created = await backend.optimisticPut(key, bytes('one'), 0);
      const updated = await backend.optimisticPut(key, bytes('two'), created.revision);
      expect(updated).toMatchObject({ succeeded: true, revision: created.revision + 1, kv: null });
      expect(summary((await backend.get(key)).kv)).toEqual({
        key,
        value: 'two',
        createRevision: created.revision,
        modRevision: updated.revision,
        version: 2,
        lease: '0',
      });

      const stale = await backend.optimisticPut(key, bytes('three'), created.revision, { getOnFailure: true });
      expect(stale.succeeded, 'an update against a stale revision').toBe(false);
      expect(stale.revision).toBe(updated.revision);
      expect(summary(stale.kv)?.modRevision).toBe(updated.revision);
      expect(summary(stale.kv)?.value).toBe('two');

      const future = await backend.optimisticPut(key, bytes('three'), updated.revision + 5);
      expect(future.succeeded, 'an update against a revision the key never had').toBe(false);
      expect(summary((await backend.get(key)).kv)?.value).toBe('two');
    });

    it('update or delete of an absent key fails with kv null', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('txn');
      const other = await backend.optimisticPut(`${p}other`, bytes('x'), 0);
      const put = await backend.optimisticPut(`${p}missing`, bytes('x'), other.revision, { getOnFailure: true });
      expect(put).toMatchObject({ succeeded: false, revision: other.revision, kv: null });
      const del = await backend.optimisticDelete(`${p}missing`, other.revision, { getOnFailure: true });
      expect(del).toMatchObject({ succeeded: false, revision: other.revision, kv: null });
      expect((await backend.get(`${p}missing`)).kv).toBeNull();
    });

    it('delete succeeds only against the current mod revision and removes the key', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const key = `${uniquePrefix('txn')}a`;
      const created = await backend.optimisticPut(key, bytes('one'), 0);
      const updated = await backend.optimisticPut(key, bytes('two'), created.revision);

      const stale = await backend.optimisticDelete(key, created.revision, { getOnFailure: true });
      expect(stale.succeeded, 'a delete against a stale revision').toBe(false);
      expect(stale.revision).toBe(updated.revision);
      expect(summary(stale.kv)).toMatchObject({ value: 'two', modRevision: updated.revision, version: 2 });
      expect((await backend.get(key)).kv, 'the failed delete removed nothing').not.toBeNull();

      const quiet = await backend.optimisticDelete(key, created.revision);
      expect(quiet.kv, 'without getOnFailure no kv is returned').toBeNull();

      const deleted = await backend.optimisticDelete(key, updated.revision);
      expect(deleted).toMatchObject({ succeeded: true, revision: updated.revision + 1, kv: null });
      expect((await backend.get(key)).kv).toBeNull();
    });

    it('a key re-created after delete starts a new incarnation', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const key = `${uniquePrefix('txn')}a`;
      const first = await backend.optimisticPut(key, bytes('one'), 0);
      await backend.optimisticPut(key, bytes('two'), first.revision);
      const deleted = await backend.optimisticDelete(key, first.revision + 1);
      const again = await backend.optimisticPut(key, bytes('three'), 0);
      expect(again).toMatchObject({ succeeded: true, revision: deleted.revision + 1 });
      expect(summary((await backend.get(key)).kv)).toEqual({
        key,
        value: 'three',
        createRevision: again.revision,
        modRevision: again.revision,
        version: 1,
        lease: '0',
      });
    });

    it('values round-trip byte for byte: empty, binary and large', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('txn');
      const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
      const large = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 31 + 7) % 251);
      const cases: Array<[string, Uint8Array]> = [
        ['empty', new Uint8Array(0)],
        ['binary', binary],
        ['large', large],
        ['utf8', bytes('ünïcødé ✓ 😀')],
      ];
      for (const [name, value] of cases) {
        const result = await backend.optimisticPut(`${p}${name}`, value, 0);
        expect(result.succeeded, name).toBe(true);
      }
      for (const [name, value] of cases) {
        const { kv } = await backend.get(`${p}${name}`);
        expect(kv, name).not.toBeNull();
        expect(Buffer.from(kv!.value).equals(Buffer.from(value)), `${name} value`).toBe(true);
      }
    });

    it('a write to one key leaves other keys untouched', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('txn');
      const a = await backend.optimisticPut(`${p}a`, bytes('a'), 0);
      const before = summary((await backend.get(`${p}a`)).kv);
      const b = await backend.optimisticPut(`${p}b`, bytes('b'), 0);
      await backend.optimisticPut(`${p}b`, bytes('b2'), b.revision);
      await backend.optimisticDelete(`${p}b`, b.revision + 1);
      expect(summary((await backend.get(`${p}a`)).kv)).toEqual(before);
      expect(before?.modRevision).toBe(a.revision);
    });
  });
}
