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
export type {
  TxnCompare,
  TxnCompareResult,
  TxnCompareTarget,
  TxnDeleteRangeOp,
  TxnDeleteRangeResponse,
  TxnLimits,
  TxnNestedOp,
  TxnNestedResponse,
  TxnOp,
  TxnOpResponse,
  TxnOptions,
  TxnPutOp,
  TxnPutResponse,
  TxnRangeOp,
  TxnRangeResponse,
  TxnRequest,
  TxnResponse,
  TxnSortOrder,
  TxnSortTarget,
} from './backend/txn.js';
export { DEFAULT_TXN_LIMITS } from './backend/txn.js';
export { checkTxnRequest, intervalContains, intervalOf, type KeyInterval } from './backend/txn-check.js';
export { executeTxn, type TxnOutcome, type TxnView } from './backend/txn-engine.js';
export {
  checkRequestBytes,
  DEFAULT_MAX_REQUEST_BYTES,
  ERR_REQUEST_TOO_LARGE,
  optimisticPutBytes,
  txnRequestBytes,
} from './backend/request-size.js';
export { ManualClock, systemClock, type Clock, type Timer } from './clock.js';
export { linkedSignal, onAbort } from './abort/on-abort.js';

// Observability
export {
  noopMetricsRecorder,
  type ListCost,
  type MetricsRecorder,
  type RequestOperation,
} from './observability/metrics-recorder.js';
export { instrumentBackend } from './observability/instrumented-backend.js';

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
export type { PartialConfig, PartialConfigForResource } from './config/partial-config.js';
export { completeConfig, DEFAULT_PREFIX } from './config/complete-config.js';
export { ConfigFieldError, isConfigFieldError } from './config/config-field-error.js';
export { configFromUrl } from './config/config-from-url.js';
export { parseConfigDocument, parseConfigText } from './config/config-document.js';
export { CONFIG_ENV, configFromEnv, type ConfigEnv } from './config/config-from-env.js';
export { loadConfig, loadConfigFile, type LoadConfigOptions } from './config/load-config.js';
export { parseBackendUrl, SUPPORTED_SCHEMES } from './config/url/parse-backend-url.js';
export type { BackendSelection } from './config/url/backend-selection.js';
export type { RedisTopology } from './config/url/redis-url.js';
export { redactUrl } from './config/redact.js';

// Codec and value transformers
export type { Codec } from './codec/codec.js';
export { jsonCodec } from './codec/json-codec.js';
export type { MaybePromise, TransformContext, TransformFromResult, Transformer } from './transform/transformer.js';

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
  newRequestEntityTooLargeError,
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
  isRequestEntityTooLarge,
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

// Value transformers (encryption at rest)
export { encryptCheckTransformer, identityTransformer, ENCRYPTED_PREFIX } from './transform/identity.js';
export {
  NO_MATCHING_TRANSFORMER,
  prefixTransformers,
  type PrefixTransformerEntry,
} from './transform/prefix-transformers.js';
export { aesGcmTransformer } from './transform/aes-gcm.js';
export {
  AES_GCM_PREFIX,
  aesGcmEncryption,
  type AesGcmEncryptionOptions,
  type AesGcmKey,
} from './transform/aes-gcm-encryption.js';
export { TransformError, isTransformError, type TransformErrorCode } from './transform/errors.js';

// Selectors
export {
  everythingLabelSelector,
  parseLabelSelector,
  type LabelSelector,
} from './selection/label-selector.js';
export {
  everythingFieldSelector,
  parseFieldSelector,
  type FieldRequirement,
  type FieldSelector,
} from './selection/field-selector.js';
export { InvalidSelectorError, isInvalidSelectorError, type SelectorKind } from './selection/errors.js';

// The Store and its parts
export { Store, createStore } from './store/store.js';
export type { StoreOptions } from './store/store-options.js';
export { apiObjectVersioner, parseResourceVersion, type Versioner } from './store/versioner.js';
export { prepareKey } from './store/keys.js';
export { decodeContinue, encodeContinue, InvalidContinueTokenError } from './store/continue-token.js';
export { LeaseManager } from './store/lease-manager.js';
export {
  COMPACT_REV_KEY,
  Compactor,
  compactOnce,
  CompactionFailedError,
  INITIAL_COMPACT_STATE,
  type CompactorOptions,
  type CompactState,
} from './store/compactor.js';
export { MAX_PAGE_LIMIT } from './store/get-list.js';
export { INITIAL_EVENTS_END_ANNOTATION } from './watch/store-watch.js';

// Registry and factory
export { DriverRegistry, DRIVER_TOKEN, ETCD2_UNSUPPORTED, normalizeStorageType } from './registry/driver-registry.js';
export { builtinDrivers } from './registry/builtin-drivers.js';
export {
  create,
  createHealthCheck,
  createMonitor,
  createProber,
  createReadyCheck,
  defaultRegistry,
} from './registry/default-registry.js';
export type { CreatedStorage } from './registry/create.js';
export type { HealthCheck, Monitor, Prober } from './registry/health.js';
export { validateBaseConfig, validateConfig } from './registry/validate-config.js';
export type { LabelOperator, LabelRequirement } from './selection/label-requirement.js';
export { escapeFieldValue, unescapeFieldValue } from './selection/field-escape.js';
