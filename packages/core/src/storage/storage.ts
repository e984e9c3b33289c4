import type { ObjectList, StorageObject } from './object.js';
import type {
  CreateOptions,
  DeleteOptions,
  GetOptions,
  GuaranteedUpdateOptions,
  ListOptions,
  CallOptions,
  Stats,
  WatchOptions,
} from './options.js';
import type { Watch } from './watch.js';
import type { Versioner } from '../store/versioner.js';

/**
 * The Kubernetes `storage.Interface`: keys, resource versions, optimistic concurrency, lists, watches.
 * Keys are resource keys such as `/pods/default/web-0` and must start with the store's resource prefix.
 *
 * @example
 * const { storage, destroy } = await create({ ...config, type: 'memory' });
 * const pod = await storage.create('/pods/default/web-0', { metadata: { name: 'web-0' } });
 * const page = await storage.getList('/pods/', { recursive: true, predicate: { limit: 100 } });
 */
export interface Storage<T extends StorageObject = StorageObject> {
  readonly versioner: Versioner;
  create(key: string, obj: T, options?: CreateOptions): Promise<T>;
  get(key: string, options?: GetOptions): Promise<T>;
  getList(key: string, options?: ListOptions<T>): Promise<ObjectList<T>>;
  guaranteedUpdate(key: string, options: GuaranteedUpdateOptions<T>): Promise<T>;
  delete(key: string, options?: DeleteOptions<T>): Promise<T>;
  watch(key: string, options?: WatchOptions<T>): Promise<Watch<T>>;
  stats(options?: CallOptions): Promise<Stats>;
  readinessCheck(): Promise<void>;
  requestWatchProgress(options?: CallOptions): Promise<void>;
  getCurrentResourceVersion(options?: CallOptions): Promise<number>;
  /** The latest compaction this store has observed (0 if none). */
  compactRevision(): number;
}
