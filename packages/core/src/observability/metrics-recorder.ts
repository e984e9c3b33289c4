import type { GroupResource } from '../config/config.js';

/**
 * The operation label of Kubernetes' `etcd_request_duration_seconds`, `etcd_requests_total` and
 * `etcd_request_errors_total` (`etcd3/store.go`), plus `txn` for the general transaction.
 */
export type RequestOperation =
  | 'get'
  | 'create'
  | 'update'
  | 'delete'
  | 'list'
  | 'listWithCount'
  | 'txn';

/** One LIST served from storage (`apiserver_storage_list_*`). */
export interface ListCost {
  /** Objects read from storage. */
  readonly fetched: number;
  /** Objects tested against the selectors. */
  readonly evaluated: number;
  /** Objects returned. */
  readonly returned: number;
}

/**
 * What the storage layer reports. Core depends on no metrics library: it calls this interface, a no-op by default
 * (`noopMetricsRecorder`); `@storagebackend/prometheus` implements it on a prom-client Registry the app passes in.
 * Every method may be called on hot paths: implementations must not throw or block.
 *
 * @example
 * const { storage } = await create({ type: 'memory', groupResource, metrics: prometheusRecorder({ registry }) });
 */
export interface MetricsRecorder {
  /** One backend request and how long it took; `failed` when it rejected. */
  recordRequest(operation: RequestOperation, groupResource: GroupResource, seconds: number, failed: boolean): void;
  /** Watch events received from the backend. */
  recordEventsReceived(groupResource: GroupResource, count: number): void;
  /** A progress notification received from the backend (Kubernetes counts them as etcd bookmarks). */
  recordBookmark(groupResource: GroupResource): void;
  /** A new lease was granted; `count` objects were attached to the previous one. */
  recordLeaseObjectCount(count: number): void;
  /** A stored value that did not decode. */
  recordDecodeError(groupResource: GroupResource): void;
  recordList(groupResource: GroupResource, cost: ListCost): void;
  /** The object count of a resource, −1 when counting failed. */
  setObjectCount(groupResource: GroupResource, count: number): void;
  /** A storage was destroyed: drop its per-resource series. */
  forgetResource(groupResource: GroupResource): void;
  /**
   * A database whose size is read at scrape time (`apiserver_storage_size_bytes`); returns the unregister function.
   * `key` identifies the database (equal transports share one series).
   */
  registerDatabase(key: string, size: (signal: AbortSignal) => Promise<number>): () => void;
}

const noop = (): void => undefined;

/** Records nothing: the default when a config names no recorder. */
export const noopMetricsRecorder: MetricsRecorder = Object.freeze({
  recordRequest: noop,
  recordEventsReceived: noop,
  recordBookmark: noop,
  recordLeaseObjectCount: noop,
  recordDecodeError: noop,
  recordList: noop,
  setObjectCount: noop,
  forgetResource: noop,
  registerDatabase: () => noop,
});
