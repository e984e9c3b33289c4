import { describe, expect, it } from 'vitest';
import { ReferenceModel } from '../src/backend/reference-model.js';
import { runOperations } from '../src/backend/run-operations.js';

// The model is the property test's oracle; these pin it to etcd 3.4 behaviour checked with etcdctl.
const v = (s: string) => new TextEncoder().encode(s);
const code = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string; compactRevision?: number }) => `${e.code}@${e.compactRevision ?? ''}`);

describe('ReferenceModel (etcd 3.4 semantics)', () => {
  it('a delete of an absent key expecting 0 succeeds without taking a revision', async () => {
    const model = new ReferenceModel({ revision: 1 });
    expect(await model.optimisticDelete('/zz', 0)).toEqual({ succeeded: true, revision: 1, kv: null });
    expect((await model.status()).revision).toBe(1);
  });

  it('compact: at or below the floor is Compacted, beyond current is FutureRevision, reads at the floor work', async () => {
    const model = new ReferenceModel({ revision: 1 });
    await model.optimisticPut('/a', v('1'), 0);
    await model.optimisticPut('/a', v('2'), 2);
    await model.optimisticPut('/b', v('1'), 0);
    await model.compact(3);
    expect(await code(model.compact(3))).toBe('Compacted@3');
    expect(await code(model.compact(2))).toBe('Compacted@3');
    expect(await code(model.compact(9))).toBe('FutureRevision@');
    expect(new TextDecoder().decode((await model.get('/a', { revision: 3 })).kv!.value)).toBe('2');
    expect(await code(model.get('/a', { revision: 2 }))).toBe('Compacted@3');
    expect(await code(model.list('/', { revision: 5 }))).toBe('FutureRevision@');
  });

  it('list counts the whole remaining range and pages in UTF-8 order', async () => {
    const model = new ReferenceModel({ revision: 1 });
    for (const key of ['/p/\uFFFD', '/p/😀', '/p/a', '/pa']) await model.optimisticPut(key, v(key), 0);
    const first = await model.list('/p/', { limit: 1 });
    expect({ keys: first.kvs.map((kv) => kv.key), count: first.count }).toEqual({ keys: ['/p/a'], count: 3 });
    const rest = await model.list('/p/', { continueKey: '/p/a\0' });
    expect(rest.kvs.map((kv) => kv.key)).toEqual(['/p/\uFFFD', '/p/😀']);
  });

  it('runOperations normalizes revisions relative to the start, so different starting revisions compare equal', async () => {
    const ops = [
      { op: 'put', key: 0, value: 'x', expect: { kind: 'absent' }, getOnFailure: false },
      { op: 'put', key: 0, value: 'y', expect: { kind: 'stale' }, getOnFailure: true },
      { op: 'list', prefix: 0, limit: 1, paginate: true, at: { kind: 'latest' } },
      { op: 'status' },
    ] as const;
    const a = await runOperations(new ReferenceModel({ revision: 1 }), ops, { keyPrefix: '/k/' });
    const b = await runOperations(new ReferenceModel({ revision: 500 }), ops, { keyPrefix: '/k/' });
    expect(a).toEqual(b);
    expect(a[1]).toMatchObject({ succeeded: false, kv: { key: 'a/1', value: 'x', modRevision: 1, version: 1 } });
    expect(a[3]).toEqual({ op: 'status', revision: 1, compactRevision: null });
  });
});
