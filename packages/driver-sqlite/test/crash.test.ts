import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WriterChild } from './child.js';
import { openTemp, type Opened } from './helpers.js';

describe('crash safety', () => {
  let t: Opened;
  beforeEach(async () => {
    t = await openTemp();
    await t.backend.close();
  });
  afterEach(async () => {
    await t.close();
  });

  it('after SIGKILL mid-write the file is intact, every acknowledged write is there and revisions are dense', async () => {
    const acked: WriterChild['acks'] = [];
    for (let round = 0; round < 3; round++) {
      const child = new WriterChild(t.path, 'loop', 0, 8);
      const target = acked.length + 200 + round * 150;
      await child.until(() => acked.length + child.acks.length >= target);
      child.process.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      acked.push(...child.acks);
    }
    expect(acked.length).toBeGreaterThan(500);

    const raw = new Database(t.path, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const revs = raw.prepare('SELECT DISTINCT rev FROM history ORDER BY rev').pluck().all() as number[];
    raw.close();
    expect(revs[0]).toBe(2);
    revs.forEach((rev, i) => expect(rev).toBe(i + 2));

    const backend = await t.reopen();
    const head = (await backend.status()).revision;
    expect(head).toBe(revs[revs.length - 1]);
    expect(new Set(acked.map((a) => a.revision)).size).toBe(acked.length);
    for (const ack of acked) {
      expect(ack.revision).toBeLessThanOrEqual(head);
      const at = await backend.get(ack.key, { revision: ack.revision });
      if (ack.kind === 'put') expect(at.kv?.modRevision, `put at ${ack.revision}`).toBe(ack.revision);
      else {
        expect(at.kv, `delete at ${ack.revision}`).toBeNull();
        expect((await backend.get(ack.key, { revision: ack.revision - 1 })).kv).not.toBeNull();
      }
    }
    expect((await backend.optimisticPut('/after', new Uint8Array([1]), 0)).revision).toBe(head + 1);
  }, 120_000);
});
