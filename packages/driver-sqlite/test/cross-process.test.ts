import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WriterChild } from './child.js';
import { Reader, enc, openTemp, type Opened } from './helpers.js';

describe('cross-process', () => {
  let t: Opened;
  beforeEach(async () => {
    t = await openTemp({ pollIntervalMs: 20 });
  });
  afterEach(async () => {
    await t.close();
  });

  it('a watcher here sees every write of another process, interleaved with local writes, in revision order', async () => {
    const b = t.backend;
    await b.optimisticPut('/before', enc('x'), 0); // 2
    const all = new Reader(b.watch('', { prefix: true, startRevision: 3, prevKv: true }));
    const childOnly = new Reader(b.watch('/child/', { prefix: true, startRevision: 3 }));
    expect(await all.within(20)).toBe('timeout');

    const child = new WriterChild(t.path, 'count', 300, 4);
    await child.until(() => child.saw('ready'));
    let written = 0;
    while (!child.saw('done')) {
      await b.optimisticPut(`/parent/${written}`, enc(String(written)), 0);
      written++;
      if (written % 10 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    expect((await child.exited).code).toBe(0);

    const head = (await b.status()).revision;
    const total = head - 2;
    expect(total).toBe(written + child.acks.length);
    const events = await all.events(total, 20_000);
    events.forEach((e, i) => expect(e.kv.modRevision).toBe(i + 3));
    const fromChild = events.filter((e) => e.kv.key.startsWith('/child/'));
    expect(fromChild.map((e) => [e.kv.modRevision, e.type, e.kv.key])).toEqual(
      [...child.acks].sort((a, b) => a.revision - b.revision).map((a) => [a.revision, a.kind, a.key]),
    );
    const childRevs = fromChild.map((e) => e.kv.modRevision);
    const interleaved = events.filter(
      (e) => e.kv.key.startsWith('/parent/') && e.kv.modRevision > childRevs[0]! && e.kv.modRevision < childRevs[childRevs.length - 1]!,
    );
    expect(interleaved.length).toBeGreaterThan(0);
    for (const e of fromChild) {
      if (e.type === 'delete') expect(e.prevKv?.key).toBe(e.kv.key);
    }
    const childEvents = await childOnly.events(child.acks.length, 20_000);
    expect(childEvents.map((e) => e.kv.modRevision)).toEqual(fromChild.map((e) => e.kv.modRevision));
    await all.return();
    await childOnly.return();
  }, 60_000);
});
