import {
  BackendError,
  compactedError,
  compareKeys,
  futureRevisionError,
  inRange,
  prefixEnd,
  type Backend,
  type BackendCallOptions,
  type BackendDeleteOptions,
  type BackendGetOptions,
  type BackendListOptions,
  type BackendStatus,
  type GetResult,
  type KeyValue,
  type ListResult,
  type PutOptions,
  type TxnResult,
} from '@storagebackend/core';

/** The part of a Backend the operation runner drives: reads, optimistic writes, compaction and status. */
export type OperationTarget = Pick<
  Backend,
  'get' | 'list' | 'count' | 'optimisticPut' | 'optimisticDelete' | 'compact' | 'status'
>;

/** One write to a key: the new kv, or null for a delete. */
interface KeyVersion {
  readonly revision: number;
  readonly kv: KeyValue | null;
}

/**
 * A tiny pure MVCC model of the Backend contract (etcd v3.4 semantics, no leases or watches): the oracle the
 * property test compares a backend against. Starts at `revision` with history floor `compactRevision`.
 *
 * @example
 * const model = new ReferenceModel({ revision: 1 });
 * await model.optimisticPut('/a', new TextEncoder().encode('v'), 0); // { succeeded: true, revision: 2, kv: null }
 */
export class ReferenceModel implements OperationTarget {
  #revision: number;
  #compactRevision: number;
  readonly #history = new Map<string, KeyVersion[]>();

  constructor(start: { revision?: number; compactRevision?: number } = {}) {
    this.#revision = start.revision ?? 1;
    this.#compactRevision = start.compactRevision ?? 0;
  }

  #readRevision(revision: number | undefined): number {
    if (revision === undefined || revision <= 0) return this.#revision;
    if (revision > this.#revision) throw futureRevisionError(this.#revision);
    if (revision < this.#compactRevision) throw compactedError(this.#compactRevision);
    return revision;
  }

  #at(key: string, revision: number): KeyValue | null {
    const versions = this.#history.get(key) ?? [];
    let found: KeyValue | null = null;
    for (const version of versions) {
      if (version.revision > revision) break;
      found = version.kv;
    }
    return found;
  }

  #write(key: string, kv: KeyValue | null): number {
    this.#revision += 1;
    const versions = this.#history.get(key) ?? [];
    versions.push({ revision: this.#revision, kv });
    this.#history.set(key, versions);
    return this.#revision;
  }

  async get(key: string, options: BackendGetOptions = {}): Promise<GetResult> {
    const revision = this.#readRevision(options.revision);
    return { kv: this.#at(key, revision), revision: this.#revision };
  }

  async list(prefix: string, options: BackendListOptions = {}): Promise<ListResult> {
    const revision = this.#readRevision(options.revision);
    const start = options.continueKey ?? prefix;
    const end = prefixEnd(prefix);
    const kvs = [...this.#history.keys()]
      .filter((key) => inRange(key, start, end))
      .sort(compareKeys)
      .map((key) => this.#at(key, revision))
      .filter((kv): kv is KeyValue => kv !== null);
    const limit = options.limit ?? 0;
    return { kvs: limit > 0 ? kvs.slice(0, limit) : kvs, count: kvs.length, revision: this.#revision };
  }

  async count(prefix: string, _options?: BackendCallOptions): Promise<number> {
    return (await this.list(prefix)).count;
  }

  async optimisticPut(key: string, value: Uint8Array, expectedModRevision: number, options: PutOptions = {}): Promise<TxnResult> {
    const current = this.#at(key, this.#revision);
    if ((current?.modRevision ?? 0) !== expectedModRevision) {
      return { succeeded: false, revision: this.#revision, kv: options.getOnFailure ? current : null };
    }
    if (options.leaseId !== undefined && options.leaseId !== '0') {
      throw new BackendError('LeaseNotFound', 'etcdserver: requested lease not found');
    }
    const revision = this.#revision + 1;
    this.#write(key, {
      key,
      value: Uint8Array.from(value),
      createRevision: current?.createRevision ?? revision,
      modRevision: revision,
      version: (current?.version ?? 0) + 1,
      lease: '0',
    });
    return { succeeded: true, revision, kv: null };
  }

  async optimisticDelete(key: string, expectedModRevision: number, options: BackendDeleteOptions = {}): Promise<TxnResult> {
    const current = this.#at(key, this.#revision);
    if ((current?.modRevision ?? 0) !== expectedModRevision) {
      return { succeeded: false, revision: this.#revision, kv: options.getOnFailure ? current : null };
    }
    // The compare held for an absent key (expected 0): nothing to delete, so no revision is taken.
    if (current === null) return { succeeded: true, revision: this.#revision, kv: null };
    return { succeeded: true, revision: this.#write(key, null), kv: null };
  }

  async compact(revision: number, _options?: BackendCallOptions): Promise<void> {
    if (revision <= this.#compactRevision) throw compactedError(this.#compactRevision);
    if (revision > this.#revision) throw futureRevisionError(this.#revision);
    this.#compactRevision = revision;
  }

  async status(_options?: BackendCallOptions): Promise<BackendStatus> {
    return { dbSizeBytes: 0, revision: this.#revision, compactRevision: this.#compactRevision };
  }
}
