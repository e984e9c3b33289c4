import type { StorageObject } from './object.js';

/** Selects objects by labels and fields, and pages lists (Kubernetes SelectionPredicate). */
export interface SelectionPredicate<T = StorageObject> {
  /** Label selector, e.g. `app=web,tier!=db,env in (prod,stage),!canary`. */
  readonly label?: string;
  /** Field selector, e.g. `metadata.name=web-0,spec.nodeName!=n1`. */
  readonly field?: string;
  /** Page size; 0 or absent lists everything. */
  readonly limit?: number;
  /** Continue token from a previous page. */
  readonly continue?: string;
  readonly allowWatchBookmarks?: boolean;
  /** Extracts field values for the field selector; the default reads `metadata.name`, `metadata.namespace` and any dotted path. */
  readonly getAttrs?: (obj: T) => { labels: Readonly<Record<string, string>>; fields: Readonly<Record<string, string>> };
}

export interface Preconditions {
  readonly uid?: string;
  readonly resourceVersion?: string;
}

export type ResourceVersionMatch = '' | 'NotOlderThan' | 'Exact';

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface CreateOptions extends CallOptions {
  /** Delete the object after this many seconds (via a lease); 0 or absent keeps it. */
  readonly ttlSeconds?: number;
}

export interface GetOptions extends CallOptions {
  /** Not-older-than constraint; '' reads the latest. */
  readonly resourceVersion?: string;
  /** Return the zero object (`newFunc()`) instead of NotFound. */
  readonly ignoreNotFound?: boolean;
}

export interface ListOptions<T = StorageObject> extends CallOptions {
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: ResourceVersionMatch;
  /** The key is a prefix (true) or one exact object key (false). */
  readonly recursive?: boolean;
  readonly predicate?: SelectionPredicate<T>;
}

export interface ResponseMeta {
  /** The current object's resourceVersion (0 when it does not exist). */
  readonly resourceVersion: number;
  /** Always 0, as in the etcd3 store. */
  readonly ttl: number;
}

/** What `tryUpdate` returns to also set a TTL; build it with `withTtl(obj, seconds)`. */
export interface UpdateWithTtl<T> {
  readonly [UPDATE_WITH_TTL]: true;
  readonly object: T;
  readonly ttlSeconds: number;
}

export const UPDATE_WITH_TTL: unique symbol = Symbol('storagebackend.updateWithTtl');

/**
 * Marks an updated object to be stored with a TTL.
 *
 * @example
 * await storage.guaranteedUpdate(key, { tryUpdate: (cur) => withTtl({ ...cur, count: 1 }, 3600) });
 */
export function withTtl<T>(object: T, ttlSeconds: number): UpdateWithTtl<T> {
  return { [UPDATE_WITH_TTL]: true, object, ttlSeconds };
}

export function isUpdateWithTtl<T>(value: T | UpdateWithTtl<T>): value is UpdateWithTtl<T> {
  return typeof value === 'object' && value !== null && UPDATE_WITH_TTL in value;
}

export type UpdateFunc<T> = (
  current: T,
  meta: ResponseMeta,
) => T | UpdateWithTtl<T> | Promise<T | UpdateWithTtl<T>>;

export interface GuaranteedUpdateOptions<T> extends CallOptions {
  readonly tryUpdate: UpdateFunc<T>;
  /** A missing key is treated as the zero object (upsert) instead of NotFound. */
  readonly ignoreNotFound?: boolean;
  readonly preconditions?: Preconditions;
  /** A hint of the current object; used if fresh, re-read if stale. */
  readonly cachedExistingObject?: T;
}

export type ValidateObjectFunc<T> = (obj: T, options: { signal?: AbortSignal }) => void | Promise<void>;

export interface DeleteOptions<T> extends CallOptions {
  readonly preconditions?: Preconditions;
  readonly validateDeletion?: ValidateObjectFunc<T>;
  readonly cachedExistingObject?: T;
}

export interface WatchOptions<T = StorageObject> extends CallOptions {
  readonly resourceVersion?: string;
  readonly recursive?: boolean;
  readonly predicate?: SelectionPredicate<T>;
  /** Emit BOOKMARK events from backend progress notifications. */
  readonly progressNotify?: boolean;
  /** Watch-list: ADDED for the current state, then (with allowWatchBookmarks) an initial-events-end BOOKMARK. */
  readonly sendInitialEvents?: boolean;
}

export interface Stats {
  readonly objectCount: number;
  readonly estimatedAverageObjectSizeBytes: number;
}
