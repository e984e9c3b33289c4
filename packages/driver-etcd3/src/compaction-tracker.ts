import { isBackendError } from '@storagebackend/core';
import type { CallControl, EtcdClient } from './client/etcd-client.js';

const PROBE_KEY = Buffer.from([0]);

type Probe = 'ok' | 'compacted';

/**
 * Knows etcd's compact revision. etcd's "required revision has been compacted" error does not say where the
 * floor is, so this remembers every compaction it sees (our own `compact()` calls, watch cancels with
 * `compact_revision`, earlier probes) and verifies or finds the exact floor with cheap single-key reads:
 * a read at revision r fails with Compacted exactly when r < floor. Compactions only move the floor up, so a
 * remembered value that still reads fine is exact (one read); otherwise a binary search between the
 * remembered floor and the current revision finds it in O(log revisions) reads.
 */
export class CompactionTracker {
  private known = 0;

  constructor(private readonly client: EtcdClient) {}

  get knownRevision(): number {
    return this.known;
  }

  observe(revision: number): void {
    if (revision > this.known) this.known = revision;
  }

  /** The exact floor, given a revision that just failed with Compacted (so it lies below the floor). */
  async find(compactedRevision: number, control: CallControl = {}): Promise<number> {
    let low = Math.max(compactedRevision, 0);
    const hint = this.known;
    if (hint > low) {
      if ((await this.probe(hint, control)) === 'ok') return hint;
      low = hint;
    }
    let high = await this.currentRevision(control);
    // Invariant: reading at `low` fails (or low is 0), reading at `high` succeeds.
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if ((await this.probe(mid, control)) === 'ok') high = mid;
      else low = mid;
    }
    this.observe(high);
    return high;
  }

  /** The best known floor, checked against etcd with one read (more if someone else compacted further). */
  async current(control: CallControl = {}): Promise<number> {
    const hint = this.known;
    const at = Math.max(hint, 1);
    if ((await this.probe(at, control)) === 'ok') return hint;
    return this.find(at, control);
  }

  private async currentRevision(control: CallControl): Promise<number> {
    const res = await this.client.range({ key: PROBE_KEY, limit: 1, count_only: true }, control);
    return Number(res.header.revision);
  }

  private async probe(revision: number, control: CallControl): Promise<Probe> {
    try {
      await this.client.range({ key: PROBE_KEY, limit: 1, count_only: true, revision: String(revision) }, control);
      return 'ok';
    } catch (err) {
      if (isBackendError(err, 'Compacted')) return 'compacted';
      // Past the current revision (only possible in a race with a restore): treat as readable.
      if (isBackendError(err, 'FutureRevision')) return 'ok';
      throw err;
    }
  }
}
