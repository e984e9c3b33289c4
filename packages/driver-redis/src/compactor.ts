import type { RedisEngine } from './engine.js';
import { revisionError } from './errors.js';

/**
 * Compaction in bounded steps: raise the floor (reads and watches below it fail at once), then drop superseded
 * history `pageBudget` members per script, then trim the stream `pageBudget` revisions per script. An interrupted
 * run leaves the floor raised; the next compaction cleans up what is left.
 */
export async function compact(engine: RedisEngine, target: number, signal?: AbortSignal): Promise<void> {
  const budget = engine.settings.pageBudget;
  const [ok, revision] = (await engine.call('sbCompactStart', 'compact', target)) as [number, number?];
  if (ok < 0) throw revisionError(ok, Number(revision));
  let from = '';
  do {
    signal?.throwIfAborted();
    from = ((await engine.call('sbCompactBatch', 'compact', target, from, budget)) as Buffer).toString('utf8');
  } while (from !== '');
  while ((await engine.call('sbCompactTrim', 'compact', target, budget)) === 1) signal?.throwIfAborted();
}
