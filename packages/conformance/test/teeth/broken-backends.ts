import type {
  Backend,
  BackendCallOptions,
  BackendCapabilities,
  BackendDeleteOptions,
  BackendGetOptions,
  BackendListOptions,
  BackendStatus,
  BackendWatchOptions,
  BackendWatchResponse,
  GetResult,
  Lease,
  ListResult,
  PutOptions,
  TxnResult,
} from '@storagebackend/core';

/** Delegates everything to a correct backend; each breakage overrides one behaviour. */
class ForwardingBackend implements Backend {
  constructor(protected readonly inner: Backend) {}
  get capabilities(): BackendCapabilities {
    return this.inner.capabilities;
  }
  get(key: string, options?: BackendGetOptions): Promise<GetResult> {
    return this.inner.get(key, options);
  }
  list(prefix: string, options?: BackendListOptions): Promise<ListResult> {
    return this.inner.list(prefix, options);
  }
  count(prefix: string, options?: BackendCallOptions): Promise<number> {
    return this.inner.count(prefix, options);
  }
  optimisticPut(key: string, value: Uint8Array, expected: number, options?: PutOptions): Promise<TxnResult> {
    return this.inner.optimisticPut(key, value, expected, options);
  }
  optimisticDelete(key: string, expected: number, options?: BackendDeleteOptions): Promise<TxnResult> {
    return this.inner.optimisticDelete(key, expected, options);
  }
  watch(key: string, options: BackendWatchOptions): AsyncIterable<BackendWatchResponse> {
    return this.inner.watch(key, options);
  }
  requestProgress(options?: BackendCallOptions): Promise<void> {
    return this.inner.requestProgress(options);
  }
  grantLease(ttlSeconds: number, options?: BackendCallOptions): Promise<Lease> {
    return this.inner.grantLease(ttlSeconds, options);
  }
  revokeLease(id: string, options?: BackendCallOptions): Promise<void> {
    return this.inner.revokeLease(id, options);
  }
  compact(revision: number, options?: BackendCallOptions): Promise<void> {
    return this.inner.compact(revision, options);
  }
  status(options?: BackendCallOptions): Promise<BackendStatus> {
    return this.inner.status(options);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** (1) Reports the same revision for two consecutive writes: every second successful write claims the previous one. */
export class ReusedRevisionBackend extends ForwardingBackend {
  #writes = 0;
  #report(result: TxnResult): TxnResult {
    if (!result.succeeded) return result;
    this.#writes += 1;
    return this.#writes % 2 === 0 ? { ...result, revision: result.revision - 1 } : result;
  }
  override async optimisticPut(key: string, value: Uint8Array, expected: number, options?: PutOptions): Promise<TxnResult> {
    return this.#report(await this.inner.optimisticPut(key, value, expected, options));
  }
  override async optimisticDelete(key: string, expected: number, options?: BackendDeleteOptions): Promise<TxnResult> {
    return this.#report(await this.inner.optimisticDelete(key, expected, options));
  }
}

/** (2) Loses every 7th event of each watch. */
export class DroppingWatchBackend extends ForwardingBackend {
  override watch(key: string, options: BackendWatchOptions): AsyncIterable<BackendWatchResponse> {
    const source = this.inner.watch(key, options);
    return {
      async *[Symbol.asyncIterator]() {
        let seen = 0;
        for await (const response of source) {
          if (response.events.length === 0) {
            yield response;
            continue;
          }
          const events = response.events.filter(() => ++seen % 7 !== 0);
          if (events.length > 0) yield { ...response, events };
        }
      },
    };
  }
}

/** (3) Optimistic put that ignores the expected revision: it always compares against whatever is current. */
export class IgnoredExpectedRevisionBackend extends ForwardingBackend {
  override async optimisticPut(key: string, value: Uint8Array, _expected: number, options?: PutOptions): Promise<TxnResult> {
    const { kv } = await this.inner.get(key);
    return this.inner.optimisticPut(key, value, kv?.modRevision ?? 0, options);
  }
}

const BUMP_KEY = '/registry/conformance-teeth-bump';

/** (4) Every read performs a hidden write, so reads advance the revision. */
export class ReadBumpingBackend extends ForwardingBackend {
  async #bump(): Promise<void> {
    const { kv } = await this.inner.get(BUMP_KEY);
    await this.inner.optimisticPut(BUMP_KEY, new Uint8Array([1]), kv?.modRevision ?? 0);
  }
  override async get(key: string, options?: BackendGetOptions): Promise<GetResult> {
    await this.#bump();
    return this.inner.get(key, options);
  }
  override async list(prefix: string, options?: BackendListOptions): Promise<ListResult> {
    await this.#bump();
    return this.inner.list(prefix, options);
  }
  override async count(prefix: string, options?: BackendCallOptions): Promise<number> {
    await this.#bump();
    return this.inner.count(prefix, options);
  }
}
