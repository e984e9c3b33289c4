import type { Backend } from '../backend/types.js';
import type { Clock } from '../clock.js';
import type { Codec } from '../codec/codec.js';
import type { GroupResource, LeaseManagerConfig } from '../config/config.js';
import type { StorageObject } from '../storage/object.js';
import type { Transformer } from '../transform/transformer.js';
import type { MetricsRecorder } from '../observability/metrics-recorder.js';
import type { Compactor } from './compactor.js';

/**
 * Everything the Store needs; `create(config)` fills it from a Config, tests and the conformance kit build it directly.
 *
 * @example
 * const store = createStore({ backend, prefix: '/registry', resourcePrefix: '/pods/' });
 */
export interface StoreOptions<T extends StorageObject = StorageObject> {
  readonly backend: Backend;
  /** Default: JSON. */
  readonly codec?: Codec;
  /** Prefix of every backend key (Config.prefix), e.g. `/registry`; default ''. */
  readonly prefix?: string;
  /** Prefix every key passed to the store must start with, e.g. `/pods/`. */
  readonly resourcePrefix: string;
  readonly groupResource?: GroupResource;
  /** Default: the encrypt-check identity transformer. */
  readonly transformer?: Transformer;
  /** The zero object (get with ignoreNotFound, bookmarks); default `() => ({ metadata: {} })`. */
  readonly newFunc?: () => T;
  readonly leaseManagerConfig?: LeaseManagerConfig;
  /** Source of the observed compact revision; without one `compactRevision()` reports what reads observed. */
  readonly compactor?: Compactor;
  readonly clock?: Clock;
  /** Where request, list, lease and watch figures go (Kubernetes' storage metrics); default: nowhere. */
  readonly metrics?: MetricsRecorder;
}
