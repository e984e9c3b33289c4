import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../src/index.js';
import { bytes, expectCode, text } from './helpers.js';

async function history(backend: MemoryBackend): Promise<[number, number, number, number, number]> {
  const r1 = (await backend.optimisticPut('/k/a', bytes('v1'), 0)).revision;
  const r2 = (await backend.optimisticPut('/k/a', bytes('v2'), r1)).revision;
  const r3 = (await backend.optimisticPut('/k/b', bytes('b1'), 0)).revision;
  const r4 = (await backend.optimisticDelete('/k/a', r2)).revision;
  const r5 = (await backend.optimisticPut('/k/a', bytes('v3'), 0)).revision;
  return [r1, r2, r3, r4, r5];
}

describe('reads at past revisions', () => {
  it('get and list see the store as of the requested revision; revision reports the current one', async () => {
    const backend = new MemoryBackend();
    const [r1, r2, r3, r4, r5] = await history(backend);
    expect(text((await backend.get('/k/a', { revision: r1 })).kv!.value)).toBe('v1');
    expect((await backend.get('/k/a', { revision: r3 })).kv).toMatchObject({ modRevision: r2, version: 2 });
    expect((await backend.get('/k/a', { revision: r4 })).kv).toBeNull();
    expect((await backend.get('/k/a', { revision: r5 })).kv).toMatchObject({ createRevision: r5, version: 1 });
    expect((await backend.get('/k/a', { revision: 1 })).kv).toBeNull();
    expect((await backend.get('/k/a', { revision: r1 })).revision).toBe(r5);

    const at = async (revision: number) => (await backend.list('/k/', { revision })).kvs.map((kv) => `${kv.key}@${kv.modRevision}`);
    expect(await at(r2)).toEqual([`/k/a@${r2}`]);
    expect(await at(r3)).toEqual([`/k/a@${r2}`, `/k/b@${r3}`]);
    expect(await at(r4)).toEqual([`/k/b@${r3}`]);
    expect((await backend.list('/k/', { revision: r4 })).count).toBe(1);
  });

  it('a revision beyond the current one fails with FutureRevision carrying the current revision', async () => {
    const backend = new MemoryBackend();
    await history(backend);
    const err = await expectCode(backend.get('/k/a', { revision: 7 }), 'FutureRevision');
    expect(err.currentRevision).toBe(6);
    await expectCode(backend.list('/k/', { revision: 100 }), 'FutureRevision');
  });
});

describe('compaction', () => {
  it('reads below the floor fail with Compacted; at the floor and above they still work', async () => {
    const backend = new MemoryBackend();
    const [r1, r2, r3, r4, r5] = await history(backend);
    await backend.compact(r3);
    expect((await backend.status()).compactRevision).toBe(r3);
    const err = await expectCode(backend.get('/k/a', { revision: r2 }), 'Compacted');
    expect(err.compactRevision).toBe(r3);
    await expectCode(backend.list('/k/', { revision: r1 }), 'Compacted');
    // The version a read at the floor sees survives compaction, though it was written before it.
    expect((await backend.get('/k/a', { revision: r3 })).kv).toMatchObject({ modRevision: r2 });
    expect((await backend.list('/k/', { revision: r3 })).count).toBe(2);
    expect((await backend.get('/k/a', { revision: r4 })).kv).toBeNull();
    expect((await backend.get('/k/a')).kv).toMatchObject({ modRevision: r5 });
  });

  it('compacting at or below the floor fails Compacted, beyond the current revision FutureRevision', async () => {
    const backend = new MemoryBackend();
    const [, , r3] = await history(backend);
    await backend.compact(1);
    await backend.compact(r3);
    expect((await expectCode(backend.compact(r3), 'Compacted')).compactRevision).toBe(r3);
    await expectCode(backend.compact(r3 - 1), 'Compacted');
    await expectCode(backend.compact(7), 'FutureRevision');
    await backend.compact(6);
    expect(await backend.status()).toMatchObject({ revision: 6, compactRevision: 6 });
  });

  it('drops superseded versions and deleted keys, shrinking dbSizeBytes, without touching live data', async () => {
    const backend = new MemoryBackend();
    const big = new Uint8Array(10_000);
    let mod = 0;
    for (let i = 0; i < 20; i++) mod = (await backend.optimisticPut('/big/a', big, mod)).revision;
    const doomed = await backend.optimisticPut('/big/doomed', big, 0);
    await backend.optimisticDelete('/big/doomed', doomed.revision);
    const before = await backend.status();
    expect(before.dbSizeBytes).toBeGreaterThan(21 * 10_000);
    await backend.compact(before.revision);
    const after = await backend.status();
    expect(after.dbSizeBytes).toBeLessThan(2 * 10_000);
    expect(after.dbSizeBytes).toBeGreaterThan(10_000);
    expect((await backend.list('/big/')).kvs.map((kv) => kv.key)).toEqual(['/big/a']);
    expect((await backend.get('/big/a')).kv).toMatchObject({ modRevision: mod, version: 20 });
    expect((await backend.optimisticPut('/big/doomed', bytes('new'), 0)).succeeded).toBe(true);
  });
});
