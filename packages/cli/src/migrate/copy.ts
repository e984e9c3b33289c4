import type { Backend } from '@storagebackend/core';
import { CommandError } from '../usage-error.js';
import type { Checkpoint } from './checkpoint.js';
import { currentRevision, pages } from './snapshot.js';

/** The key the revision bump writes: outside the prefix, deleted again, so no object ever shows it. */
export const BUMP_KEY = '/.storagectl/migrate-revision-bump';

export interface CopyReport {
  readonly sourceRevision: number;
  readonly copied: number;
  readonly leasesDropped: number;
  readonly targetRevision: number;
}

export interface CopyOptions {
  readonly force: boolean;
  readonly dropLeases: boolean;
  readonly progress: (copied: number, total: number) => void;
  /** Continue an interrupted copy from this checkpoint. */
  readonly resumeFrom?: Checkpoint | undefined;
  /** Called after every page with where the copy stands. */
  readonly checkpoint: (cp: Checkpoint) => Promise<void>;
  /** Ends the copy after the key being written, with a checkpoint to resume from. */
  readonly signal?: AbortSignal;
  readonly from: string;
  readonly to: string;
}

/**
 * Raises the target's revision to at least `revision` with writes of one scratch key, then deletes it, so every
 * copied key gets a revision above anything a client of the source has seen (etcdutl's --bump-revision).
 */
async function bumpRevision(target: Backend, revision: number): Promise<void> {
  let current = await currentRevision(target, BUMP_KEY);
  if (current >= revision) return;
  const value = new TextEncoder().encode('bump');
  let mod = (await target.get(BUMP_KEY)).kv?.modRevision ?? 0;
  while (current < revision) {
    const res = await target.optimisticPut(BUMP_KEY, value, mod);
    if (!res.succeeded) throw new CommandError('another writer changed the target during the revision bump');
    mod = res.revision;
    current = res.revision;
  }
  await target.optimisticDelete(BUMP_KEY, mod);
}

/**
 * Copies every key under `prefix` from one snapshot revision of the source: keys and value bytes unchanged, the
 * source only read. Refuses a non-empty target (unless `force`) and keys with leases (unless `dropLeases`) before
 * writing anything; finishes by compacting the target at its revision, so old resource versions get 410.
 */
export async function copySnapshot(source: Backend, target: Backend, prefix: string, options: CopyOptions): Promise<CopyReport> {
  const resume = options.resumeFrom;
  const sourceRevision = resume?.sourceRevision ?? (await currentRevision(source, prefix));
  const existing = await target.count(prefix);
  if (existing > 0 && !options.force && !resume) {
    throw new CommandError(`the target already holds ${existing} keys under ${prefix}; pass --force to overwrite them`);
  }
  let total = 0;
  let leased = 0;
  for await (const kvs of pages(source, prefix, sourceRevision)) {
    total += kvs.length;
    leased += kvs.filter((kv) => kv.lease !== '0').length;
  }
  if (leased > 0 && !options.dropLeases) {
    throw new CommandError(
      `${leased} keys have a lease (a TTL), which this version cannot carry over with its remaining time; pass --drop-leases to copy them without one`,
    );
  }
  if (!resume) await bumpRevision(target, sourceRevision);
  let copied = resume?.copied ?? 0;
  let lastKey = resume?.lastKey ?? null;
  // After an interruption (or with --force) a key may already be on the target: write over what is there.
  const overwrite = options.force || resume !== undefined;
  const save = () => options.checkpoint({ version: 1, from: options.from, to: options.to, prefix, sourceRevision, total, copied, lastKey });
  await save();
  for await (const kvs of pages(source, prefix, sourceRevision, lastKey ?? undefined)) {
    for (const kv of kvs) {
      if (options.signal?.aborted) {
        await save();
        throw new CommandError(`interrupted after ${copied} of ${total} keys; run the same command with --resume to continue`);
      }
      const mod = overwrite ? ((await target.get(kv.key)).kv?.modRevision ?? 0) : 0;
      const res = await target.optimisticPut(kv.key, kv.value, mod);
      if (!res.succeeded) throw new CommandError(`another writer changed ${kv.key} on the target during the copy`);
      copied++;
      lastKey = kv.key;
    }
    await save();
    options.progress(copied, total);
  }
  // With --force the target mirrors the source: keys the source does not have go.
  if (existing > 0) await deleteOthers(source, target, prefix, sourceRevision);
  const targetRevision = await currentRevision(target, prefix);
  const { compactRevision } = await target.status();
  if (compactRevision < targetRevision) await target.compact(targetRevision);
  return { sourceRevision, copied, leasesDropped: leased, targetRevision };
}

async function deleteOthers(source: Backend, target: Backend, prefix: string, sourceRevision: number): Promise<void> {
  const keys = new Set<string>();
  for await (const kvs of pages(source, prefix, sourceRevision)) for (const kv of kvs) keys.add(kv.key);
  const stale: { key: string; mod: number }[] = [];
  for await (const kvs of pages(target, prefix, 0)) for (const kv of kvs) if (!keys.has(kv.key)) stale.push({ key: kv.key, mod: kv.modRevision });
  for (const { key, mod } of stale) await target.optimisticDelete(key, mod);
}
