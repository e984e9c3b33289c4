import type { Backend } from '../backend/types.js';
import type { GroupResource } from '../config/config.js';
import type { MetricsRecorder } from '../observability/metrics-recorder.js';
import type { Clock } from '../clock.js';
import type { Codec } from '../codec/codec.js';
import type { StorageObject } from '../storage/object.js';
import type { Transformer } from '../transform/transformer.js';
import type { LeaseManager } from './lease-manager.js';
import type { Versioner } from './versioner.js';

/** What every store operation shares; built once by the Store. */
export interface StoreContext<T extends StorageObject> {
  readonly backend: Backend;
  readonly metrics: MetricsRecorder;
  readonly groupResource: GroupResource;
  readonly codec: Codec;
  readonly transformer: Transformer;
  readonly versioner: Versioner;
  readonly leaseManager: LeaseManager;
  readonly clock: Clock;
  /** `/registry/` — backend key = pathPrefix + resource key without its leading '/'. */
  readonly pathPrefix: string;
  readonly resourcePrefix: string;
  newFunc(): T;
  /** Validates a resource key and returns its backend key. */
  backendKey(key: string, recursive: boolean): string;
  /** Records a compact revision seen in an error. */
  observeCompaction(revision: number): void;
}
