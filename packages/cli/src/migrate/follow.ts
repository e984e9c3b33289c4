import type { Backend } from '@storagebackend/core';
import { CommandError } from '../usage-error.js';

export interface FollowOptions {
  readonly dropLeases: boolean;
  readonly signal: AbortSignal;
  readonly progress: (applied: number, revision: number) => void;
}

/**
 * Applies the source's changes after `fromRevision` to the target, in revision order, until `signal` aborts
 * (etcd's make-mirror SyncUpdates). Returns the last source revision applied, so the caller can verify at it.
 */
export async function followChanges(source: Backend, target: Backend, prefix: string, fromRevision: number, options: FollowOptions): Promise<number> {
  let applied = 0;
  let revision = fromRevision;
  const watch = source.watch(prefix, { prefix: true, startRevision: fromRevision + 1, signal: options.signal });
  for await (const response of watch) {
    for (const event of response.events) {
      const current = (await target.get(event.kv.key)).kv;
      if (event.type === 'put') {
        if (event.kv.lease !== '0' && !options.dropLeases) {
          throw new CommandError(`${event.kv.key} was written with a lease (a TTL), which cannot be carried over; rerun with --drop-leases`);
        }
        const res = await target.optimisticPut(event.kv.key, event.kv.value, current?.modRevision ?? 0);
        if (!res.succeeded) throw new CommandError(`another writer changed ${event.kv.key} on the target`);
      } else if (current) {
        const res = await target.optimisticDelete(event.kv.key, current.modRevision);
        if (!res.succeeded) throw new CommandError(`another writer changed ${event.kv.key} on the target`);
      }
      applied++;
      revision = event.kv.modRevision;
    }
    if (response.events.length > 0) options.progress(applied, revision);
  }
  return revision;
}
