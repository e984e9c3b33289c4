import { describe, expect, it } from 'vitest';
import type { Backend, BackendWatchEvent } from '@storagebackend/core';
import type { ConformanceTarget } from '../target.js';
import { bytes, currentRevision, openBackend, put, remove, text, uniquePrefix } from './support.js';
import { WatchCollector, startWatch } from './watch-collector.js';

const brief = (e: BackendWatchEvent) => ({
  type: e.type,
  key: e.kv.key,
  modRevision: e.kv.modRevision,
  value: e.type === 'put' ? text(e.kv.value) : '',
});

/** Requires responses in revision order with no revision split across two responses. */
function expectOrderedAndGrouped(collector: WatchCollector): void {
  let last = 0;
  for (const response of collector.responses) {
    const revisions = response.events.map((e) => e.kv.modRevision);
    if (revisions.length === 0) continue;
    expect(revisions[0]!, `revision order across responses; ${collector.describe()}`).toBeGreaterThan(last);
    for (let i = 1; i < revisions.length; i++) expect(revisions[i]!).toBeGreaterThanOrEqual(revisions[i - 1]!);
    expect(response.revision, 'a response revision covers its events').toBeGreaterThanOrEqual(revisions.at(-1)!);
    last = revisions.at(-1)!;
  }
}

async function writeConcurrently(backend: Backend, prefix: string, writers: number, writesEach: number): Promise<void> {
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let mod = 0;
      for (let i = 0; i < writesEach; i++) {
        const key = `${prefix}w${w}`;
        // Every fifth write deletes, so the stream mixes puts and deletes.
        const result =
          i % 5 === 4
            ? await backend.optimisticDelete(key, mod)
            : await backend.optimisticPut(key, bytes(`${w}:${i}`), mod);
        expect(result.succeeded, `writer ${w} write ${i}`).toBe(true);
        mod = i % 5 === 4 ? 0 : result.revision;
      }
    }),
  );
}

/**
 * Watch: replay from a past revision then live, no gap or repeat under concurrent writers, events of one
 * revision in one response, prevKv, key vs prefix scope, and abort through the signal.
 *
 * @example
 * describe('my driver', () => backendWatchTests({ name: 'mine', createBackend }));
 */
export function backendWatchTests(target: ConformanceTarget): void {
  describe('watch', () => {
    it('replays from a past revision, then delivers live events', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('watch');
      const r1 = await put(backend, `${p}a`, '1');
      const r2 = await put(backend, `${p}b`, '1');
      const r3 = await put(backend, `${p}a`, '2');
      const watch = startWatch(ctx, backend, p, { prefix: true, startRevision: r1 });
      await watch.waitForEvents(3);
      const r4 = await remove(backend, `${p}b`);
      const r5 = await put(backend, `${p}c`, '1');
      await watch.waitForEvents(5);
      expect(watch.events.map(brief)).toEqual([
        { type: 'put', key: `${p}a`, modRevision: r1, value: '1' },
        { type: 'put', key: `${p}b`, modRevision: r2, value: '1' },
        { type: 'put', key: `${p}a`, modRevision: r3, value: '2' },
        { type: 'delete', key: `${p}b`, modRevision: r4, value: '' },
        { type: 'put', key: `${p}c`, modRevision: r5, value: '1' },
      ]);
      expectOrderedAndGrouped(watch);
    });

    it('starts exactly at startRevision, inclusive', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('watch');
      await put(backend, `${p}a`, '1');
      const r2 = await put(backend, `${p}a`, '2');
      const r3 = await put(backend, `${p}a`, '3');
      const watch = startWatch(ctx, backend, p, { prefix: true, startRevision: r2 });
      const r4 = await put(backend, `${p}a`, '4');
      await watch.waitForEvents(3);
      expect(watch.events.map((e) => e.kv.modRevision)).toEqual([r2, r3, r4]);
    });

    it('put and delete events carry the kv fields; prevKv is null on create and the old value otherwise', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('watch');
      const start = (await currentRevision(backend)) + 1;
      const withPrev = startWatch(ctx, backend, p, { prefix: true, startRevision: start, prevKv: true });
      const without = startWatch(ctx, backend, p, { prefix: true, startRevision: start });
      const r1 = await put(backend, `${p}a`, 'one');
      const r2 = await put(backend, `${p}a`, 'two');
      const r3 = await remove(backend, `${p}a`);
      await withPrev.waitForEvents(3);
      await without.waitForEvents(3);

      const [created, updated, deleted] = withPrev.events;
      expect(created).toMatchObject({ type: 'put', prevKv: null });
      expect(created!.kv).toMatchObject({ key: `${p}a`, createRevision: r1, modRevision: r1, version: 1, lease: '0' });
      expect(text(created!.kv.value)).toBe('one');
      expect(updated!.kv).toMatchObject({ createRevision: r1, modRevision: r2, version: 2 });
      expect(updated!.prevKv, 'prevKv of an update').not.toBeNull();
      expect(updated!.prevKv).toMatchObject({ key: `${p}a`, modRevision: r1, version: 1 });
      expect(text(updated!.prevKv!.value)).toBe('one');
      expect(deleted).toMatchObject({ type: 'delete' });
      expect(deleted!.kv).toMatchObject({ key: `${p}a`, modRevision: r3 });
      expect(deleted!.kv.value.length, 'a delete event has an empty value').toBe(0);
      expect(deleted!.prevKv, 'prevKv of a delete').not.toBeNull();
      expect(deleted!.prevKv).toMatchObject({ modRevision: r2, version: 2 });
      expect(text(deleted!.prevKv!.value)).toBe('two');

      expect(without.events.map((e) => e.prevKv), 'prevKv is null unless requested').toEqual([null, null, null]);
    });

    it('a key watch sees only that key; a prefix watch only keys under the prefix', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('watch');
      const start = (await currentRevision(backend)) + 1;
      const keyWatch = startWatch(ctx, backend, `${p}a`, { startRevision: start });
      const prefixWatch = startWatch(ctx, backend, `${p}a/`, { prefix: true, startRevision: start });
      await put(backend, `${p}ab`, 'sibling');
      await put(backend, `${p}a/1`, 'child');
      await put(backend, `${p}ab/1`, 'other prefix');
      await put(backend, `${p}b`, 'other');
      const rKey = await put(backend, `${p}a`, 'the key');
      const rChild = await put(backend, `${p}a/2`, 'child');
      // Watches deliver in revision order, so once the last matching event arrived any stray one would have too.
      await keyWatch.waitFor((c) => c.events.some((e) => e.kv.modRevision === rKey), 10_000, 'the key write');
      await prefixWatch.waitFor((c) => c.events.some((e) => e.kv.modRevision === rChild), 10_000, 'the last child write');
      expect(keyWatch.events.map((e) => e.kv.key)).toEqual([`${p}a`]);
      expect(prefixWatch.events.map((e) => e.kv.key)).toEqual([`${p}a/1`, `${p}a/2`]);
    });

    it('5 concurrent writers x 50 writes: a prefix watch sees every revision exactly once, in order', { timeout: 60_000 }, async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('watch');
      const start = (await currentRevision(backend)) + 1;
      const total = 5 * 50;
      const live = startWatch(ctx, backend, p, { prefix: true, startRevision: start, prevKv: true });
      const writing = writeConcurrently(backend, p, 5, 50);
      // A second watch joins mid-stream from the start: its replay must hand over to live without a seam.
      await live.waitForEvents(40, 20_000);
      const late = startWatch(ctx, backend, p, { prefix: true, startRevision: start });
      await writing;
      const expected = Array.from({ length: total }, (_, i) => start + i);
      const final = start + total - 1;
      for (const [name, watch] of [['live', live], ['late', late]] as const) {
        // Revision order means the final write arrives last; waiting for it rather than a count fails fast on a gap.
        const reached = (c: WatchCollector) => c.events.length >= total || (c.events.at(-1)?.kv.modRevision ?? 0) >= final;
        await watch.waitFor(reached, 20_000, `the ${name} watch to reach revision ${final}`);
        expect(watch.events.map((e) => e.kv.modRevision), `${name} watch revisions`).toEqual(expected);
        expectOrderedAndGrouped(watch);
      }
      // Per key, prevKv chains: each event's prevKv is the key's previous event.
      const lastByKey = new Map<string, number>();
      for (const event of live.events) {
        const previous = lastByKey.get(event.kv.key);
        expect(event.prevKv?.modRevision ?? 0, `prevKv of ${event.kv.key}@${event.kv.modRevision}`).toBe(previous ?? 0);
        lastByKey.set(event.kv.key, event.type === 'delete' ? 0 : event.kv.modRevision);
      }
    });

    it('aborting the signal ends the iteration without an error', async (ctx) => {
      const backend = await openBackend(target, ctx);
      const p = uniquePrefix('watch');
      const r1 = await put(backend, `${p}a`, '1');

      const controller = new AbortController();
      const iterator = backend.watch(p, { prefix: true, startRevision: r1, signal: controller.signal })[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);
      const pending = iterator.next();
      controller.abort();
      const outcome = await Promise.race([
        pending.then(
          (r) => (r.done ? 'done' : 'value'),
          (err: unknown) => `error: ${String(err)}`,
        ),
        new Promise<string>((resolve) => setTimeout(() => resolve('still pending after 5s'), 5_000)),
      ]);
      expect(outcome, 'a pending next() after abort').toBe('done');

      const preAborted = (async () => {
        let seen = 0;
        for await (const _ of backend.watch(p, { prefix: true, startRevision: r1, signal: AbortSignal.abort() })) {
          if (++seen > 100) return 'kept delivering';
        }
        return 'ended';
      })();
      const preOutcome = await Promise.race([
        preAborted.catch((err: unknown) => `error: ${String(err)}`),
        new Promise<string>((resolve) => setTimeout(() => resolve('still running after 5s'), 5_000)),
      ]);
      expect(preOutcome, 'a watch given an already-aborted signal').toBe('ended');

      const collector = new WatchCollector(backend, p, { prefix: true, startRevision: r1 });
      expect(await collector.stop(5_000), 'a watch aborted right after it started ends').toBe(true);
      expect(collector.error, 'and ends without error').toBeUndefined();

      // The backend keeps working after watches were aborted.
      const watch = startWatch(ctx, backend, p, { prefix: true, startRevision: r1 });
      const r2 = await put(backend, `${p}a`, '2');
      await watch.waitFor((c) => c.events.some((e) => e.kv.modRevision === r2), 10_000, 'a write after aborts');
    });
  });
}
