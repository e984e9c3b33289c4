import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { openBackend, put, uniquePrefix } from './support.js';
import { startWatch } from './watch-collector.js';

const REQUEST_PROGRESS_WITHIN_MS = 5_000;

/**
 * Progress notifications: an idle `progressNotify` watch hears the store revision within
 * `target.progressNotifyWithinMs`; `requestProgress()` makes every open watch report soon.
 *
 * @example
 * describe('my driver', () => backendProgressTests({ name: 'mine', createBackend, progressNotifyWithinMs: 2000 }));
 */
export function backendProgressTests(target: ConformanceTarget): void {
  const within = target.progressNotifyWithinMs ?? 0;

  describe('progress notifications', () => {
    it('an idle progressNotify watch gets a progress response covering the last write', { timeout: within + 15_000 }, async (ctx) => {
      const backend = await openBackend(target, ctx, 'progressNotify');
      expect(
        target.progressNotifyWithinMs,
        'ConformanceTarget.progressNotifyWithinMs is required when the backend declares capabilities.progressNotify',
      ).toBeGreaterThan(0);
      const p = uniquePrefix('progress');
      const last = await put(backend, `${p}a`, '1');
      const watch = startWatch(ctx, backend, p, { prefix: true, startRevision: last + 1, progressNotify: true });
      const opened = Date.now();
      await watch.waitFor((c) => c.progressResponses.length > 0, within, 'a progress response');
      const elapsed = Date.now() - opened;
      const progress = watch.progressResponses[0]!;
      expect(progress.progressNotify, 'a progress response is flagged progressNotify').toBe(true);
      expect(progress.revision, `progress revision after ${elapsed}ms`).toBeGreaterThanOrEqual(last);
      expect(watch.events, 'no events were written').toEqual([]);

      // Progress never stands in for events: a later write still arrives.
      const next = await put(backend, `${p}a`, '2');
      await watch.waitFor((c) => c.events.some((e) => e.kv.modRevision === next), 10_000, 'the write after progress');
    });

    it('requestProgress() makes every open watch report the current revision', { timeout: 20_000 }, async (ctx) => {
      const backend = await openBackend(target, ctx, 'requestProgress');
      const p = uniquePrefix('progress');
      const last = await put(backend, `${p}a/x`, '1');
      await put(backend, `${p}b/x`, '1');
      const current = last + 1;
      // One watch replayed history before going idle, one started live; both must claim the store revision.
      const watches = [
        startWatch(ctx, backend, `${p}a/`, { prefix: true, startRevision: last }),
        startWatch(ctx, backend, `${p}b/`, { prefix: true, startRevision: current + 1 }),
      ];
      const names = ['the watch that replayed history', 'the watch that started live'];
      await watches[0]!.waitForEvents(1);
      await backend.requestProgress();
      for (const [i, watch] of watches.entries()) {
        await watch.waitFor((c) => c.progressResponses.length > 0, REQUEST_PROGRESS_WITHIN_MS, `progress on ${names[i]}`);
        const progress = watch.progressResponses.at(-1)!;
        expect(progress.progressNotify, `${names[i]}: progress flag`).toBe(true);
        expect(progress.revision, `${names[i]}: progress revision ≥ store revision ${current}`).toBeGreaterThanOrEqual(current);
      }
      expect(watches[1]!.events, 'the idle watch got no events').toEqual([]);
    });
  });
}
