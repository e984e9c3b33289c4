/** The metadata fields the storage layer reads and writes (a subset of Kubernetes ObjectMeta). */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  selfLink?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/**
 * Any Kubernetes-style object: plain JSON with a `metadata` field.
 *
 * @example
 * const pod: StorageObject = { metadata: { name: 'web-0', namespace: 'default' }, spec: { nodeName: 'n1' } };
 */
export interface StorageObject {
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A list result: items plus list metadata (Kubernetes ListMeta). */
export interface ObjectList<T> {
  items: T[];
  metadata: ListMeta;
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}
