import type { StorageObject } from '@storagebackend/core';

/** The Pod-like fixture object of the storage suites. */
export interface Pod extends StorageObject {
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    selfLink?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { nodeName?: string; restartPolicy?: string };
}

export function newPod(): Pod {
  return { metadata: {} };
}

export function pod(namespace: string, name: string, extra: Partial<Pod> = {}): Pod {
  return { ...extra, metadata: { name, namespace, ...extra.metadata } };
}

/** `/pods/<namespace>/<name>`, or `/pods/<name>` for cluster-scoped fixtures. */
export function podKey(p: Pod): string {
  const { namespace, name } = p.metadata;
  return namespace ? `/pods/${namespace}/${name}` : `/pods/${name}`;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
