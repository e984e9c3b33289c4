// Backend contract (what drivers implement)
export type {
  Backend,
  BackendCapabilities,
  BackendStatus,
  BackendWatchEvent,
  BackendWatchResponse,
  CallOptions as BackendCallOptions,
  DeleteOptions as BackendDeleteOptions,
  GetOptions as BackendGetOptions,
  GetResult,
  KeyValue,
  Lease,
  ListOptions as BackendListOptions,
  ListResult,
  PutOptions,
  TxnResult,
  WatchEventType as BackendWatchEventType,
  WatchOptions as BackendWatchOptions,
} from './backend/types.js';
export type { Driver, LazyDriver } from './backend/driver.js';
export {
  BackendError,
  closedError,
  compactedError,
  futureRevisionError,
  isBackendError,
  type BackendErrorCode,
} from './backend/errors.js';
export { compareKeys, inRange, prefixEnd } from './backend/prefix.js';
export { ManualClock, systemClock, type Clock, type Timer } from './clock.js';

// Configuration
export type {
  Config,
  ConfigForResource,
  GroupResource,
  LeaseManagerConfig,
  StorageType,
  TransportConfig,
} from './config/config.js';
export { forResource, newDefaultConfig, resourcePrefixOf } from './config/default-config.js';

// Codec and value transformers
export type { Codec } from './codec/codec.js';
export { jsonCodec } from './codec/json-codec.js';
export type { TransformContext, TransformFromResult, Transformer } from './transform/transformer.js';

// Storage API
export type { ListMeta, ObjectList, ObjectMeta, StorageObject } from './storage/object.js';
export {
  withTtl,
  isUpdateWithTtl,
  type CallOptions,
  type CreateOptions,
  type DeleteOptions,
  type GetOptions,
  type GuaranteedUpdateOptions,
  type ListOptions,
  type Preconditions,
  type ResourceVersionMatch,
  type ResponseMeta,
  type SelectionPredicate,
  type Stats,
  type UpdateFunc,
  type UpdateWithTtl,
  type ValidateObjectFunc,
  type WatchOptions,
} from './storage/options.js';
export type { Watch, WatchEvent, WatchEventType } from './storage/watch.js';
export type { Storage } from './storage/storage.js';

// Errors
export { StatusError, newStatus, type Status, type StatusCause, type StatusReason } from './errors/status.js';
export {
  CONTINUE_EXPIRED,
  CONTINUE_TOO_OLD,
  LIST_TOO_OLD,
  WATCH_TOO_OLD,
  newBadRequest,
  newInternalErrorStatus,
  newResourceExpired,
  newTooLargeResourceVersionError,
} from './errors/api-errors.js';
export {
  StorageError,
  newCorruptObjError,
  newInvalidObjError,
  newKeyExistsError,
  newKeyNotFoundError,
  newResourceVersionConflictsError,
  newTimeoutError,
  newUnreachableError,
  type StorageErrorCode,
} from './errors/storage-error.js';
export {
  ConfigError,
  ERR_RESOURCE_VERSION_SET_ON_CREATE,
  ERR_STORAGE_NOT_READY,
  InternalError,
  InvalidError,
  InvalidKeyError,
  ResourceVersionSetOnCreateError,
  type FieldError,
} from './errors/internal-error.js';
export {
  isBadRequest,
  isConflict,
  isCorruptObject,
  isExist,
  isInternalError,
  isInvalidError,
  isInvalidObj,
  isNotFound,
  isRequestTimeout,
  isResourceExpired,
  isTooLargeResourceVersion,
  isUnreachable,
} from './errors/predicates.js';
