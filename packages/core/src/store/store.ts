import { systemClock } from '../clock.js';
import { jsonCodec } from '../codec/json-codec.js';
import { DEFAULT_LEASE_MAX_OBJECT_COUNT, DEFAULT_LEASE_REUSE_DURATION_SECONDS } from '../config/config.js';
import { newInternalErrorStatus } from '../errors/api-errors.js';
import type { ObjectList, StorageObject } from '../storage/object.js';
import type {
  CallOptions,
  CreateOptions,
  DeleteOptions,
  GetOptions,
  GuaranteedUpdateOptions,
  ListOptions,
  Stats,
  WatchOptions,
} from '../storage/options.js';
import type { Storage } from '../storage/storage.js';
import type { Watch } from '../storage/watch.js';
import { encryptCheckTransformer } from '../transform/identity.js';
import { startWatch } from '../watch/store-watch.js';
import { mapBackendError, throwIfAborted } from './backend-errors.js';
import { createObject } from './create.js';
import { deleteObject } from './delete.js';
import { getObject } from './get.js';
import { getList } from './get-list.js';
import { guaranteedUpdate } from './guaranteed-update.js';
import { pathPrefixOf, prepareKey } from './keys.js';
import { LeaseManager } from './lease-manager.js';
import { compilePredicate } from './predicate-matcher.js';
import type { StoreContext } from './store-context.js';
import type { StoreOptions } from './store-options.js';
import { instrumentBackend } from '../observability/instrumented-backend.js';
import { noopMetricsRecorder } from '../observability/metrics-recorder.js';
import { apiObjectVersioner, type Versioner } from './versioner.js';

/** The one Storage implementation, over any Backend. */
export class Store<T extends StorageObject = StorageObject> implements Storage<T> {
  readonly versioner: Versioner = apiObjectVersioner;
  readonly #ctx: StoreContext<T>;
  readonly #options: StoreOptions<T>;
  readonly #watches = new Set<Watch<T>>();
  #observedCompaction = 0;
  #closed = false;

  constructor(options: StoreOptions<T>) {
    const { resourcePrefix } = options;
    if (!resourcePrefix || resourcePrefix === '/' || !resourcePrefix.startsWith('/')) {
      throw new Error(`invalid resource prefix: ${JSON.stringify(resourcePrefix)}`);
    }
    this.#options = options;
    const pathPrefix = pathPrefixOf(options.prefix ?? '');
    const clock = options.clock ?? options.backend.clock ?? systemClock;
    const newFunc = options.newFunc ?? (() => ({ metadata: {} }) as T);
    const metrics = options.metrics ?? noopMetricsRecorder;
    const groupResource = options.groupResource ?? { group: '', resource: resourcePrefix.split('/')[1] ?? '' };
    const backend = options.metrics ? instrumentBackend(options.backend, metrics, groupResource) : options.backend;
    this.#ctx = {
      backend,
      metrics,
      groupResource,
      codec: options.codec ?? jsonCodec,
      transformer: options.transformer ?? encryptCheckTransformer,
      versioner: this.versioner,
      clock,
      leaseManager: new LeaseManager(
        backend,
        clock,
        options.leaseManagerConfig ?? {
          reuseDurationSeconds: DEFAULT_LEASE_REUSE_DURATION_SECONDS,
          maxObjectCount: DEFAULT_LEASE_MAX_OBJECT_COUNT,
        },
        metrics,
      ),
      pathPrefix,
      resourcePrefix,
      newFunc,
      backendKey: (key, recursive) => pathPrefix + prepareKey(resourcePrefix, key, recursive).slice(1),
      observeCompaction: (revision) => {
        if (revision > this.#observedCompaction) this.#observedCompaction = revision;
        options.compactor?.observe(revision);
      },
    };
  }

  create(key: string, obj: T, options: CreateOptions = {}): Promise<T> {
    return createObject(this.#ctx, key, obj, options);
  }

  get(key: string, options: GetOptions = {}): Promise<T> {
    return getObject(this.#ctx, key, options);
  }

  getList(key: string, options: ListOptions<T> = {}): Promise<ObjectList<T>> {
    return getList(this.#ctx, key, options);
  }

  guaranteedUpdate(key: string, options: GuaranteedUpdateOptions<T>): Promise<T> {
    return guaranteedUpdate(this.#ctx, key, options);
  }

  delete(key: string, options: DeleteOptions<T> = {}): Promise<T> {
    return deleteObject(this.#ctx, key, options);
  }

  async watch(key: string, options: WatchOptions<T> = {}): Promise<Watch<T>> {
    const recursive = options.recursive ?? false;
    const backendKey = this.#ctx.backendKey(key, recursive);
    const revision = this.versioner.parseResourceVersion(options.resourceVersion);
    const matcher = compilePredicate(options.predicate);
    if (this.#closed) throw newInternalErrorStatus(new Error('storage is closed'));
    // Watching "from now" must fix "now" before returning, or a write made right after could be missed.
    let currentRevision: number | undefined;
    if (revision === 0 && options.sendInitialEvents === false && !options.signal?.aborted) {
      try {
        currentRevision = (await this.#ctx.backend.get(backendKey, options.signal ? { signal: options.signal } : {}))
          .revision;
      } catch (err) {
        throw mapBackendError(err, key);
      }
    }
    if (this.#closed) throw newInternalErrorStatus(new Error('storage is closed'));
    const watch: Watch<T> = startWatch(this.#ctx, {
      key,
      backendKey,
      recursive,
      revision,
      ...(currentRevision !== undefined ? { currentRevision } : {}),
      matcher,
      options,
      onEnd: () => this.#watches.delete(watch),
    });
    this.#watches.add(watch);
    return watch;
  }

  async stats(options: CallOptions = {}): Promise<Stats> {
    throwIfAborted(options.signal);
    const prefix = this.#ctx.pathPrefix + this.#ctx.resourcePrefix.slice(1);
    try {
      const objectCount = await this.#ctx.backend.count(prefix, options.signal ? { signal: options.signal } : {});
      return { objectCount, estimatedAverageObjectSizeBytes: 0 };
    } catch (err) {
      throw mapBackendError(err, this.#ctx.resourcePrefix);
    }
  }

  async readinessCheck(): Promise<void> {}

  async requestWatchProgress(options: CallOptions = {}): Promise<void> {
    try {
      await this.#ctx.backend.requestProgress(options.signal ? { signal: options.signal } : {});
    } catch (err) {
      throw mapBackendError(err, this.#ctx.resourcePrefix);
    }
  }

  async getCurrentResourceVersion(options: CallOptions = {}): Promise<number> {
    const prefix = this.#ctx.pathPrefix + this.#ctx.resourcePrefix.slice(1);
    let revision;
    try {
      ({ revision } = await this.#ctx.backend.get(prefix, options.signal ? { signal: options.signal } : {}));
    } catch (err) {
      throw mapBackendError(err, this.#ctx.resourcePrefix);
    }
    if (revision <= 0) throw new Error(`the current resource version must be greater than 0, got ${revision}`);
    return revision;
  }

  compactRevision(): number {
    return Math.max(this.#observedCompaction, this.#options.compactor?.compactRevision() ?? 0);
  }

  /** Stops every watch this store started. Does not close the backend (its owner does). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const watch of this.#watches) watch.stop();
    this.#watches.clear();
  }
}

/**
 * Builds the Store over a Backend.
 *
 * @example
 * const store = createStore<Pod>({ backend, prefix: '/registry', resourcePrefix: '/pods/' });
 * await store.create('/pods/default/web-0', pod);
 */
export function createStore<T extends StorageObject = StorageObject>(options: StoreOptions<T>): Store<T> {
  return new Store(options);
}
