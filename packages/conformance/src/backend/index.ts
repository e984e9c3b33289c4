export { runBackendSuite } from './run-backend-suite.js';
export { backendRevisionTests } from './revision-tests.js';
export { backendTxnTests } from './txn-tests.js';
export { backendGeneralTxnTests } from './general-txn-tests.js';
export { backendReadTests } from './read-tests.js';
export { backendWatchTests } from './watch-tests.js';
export { backendProgressTests } from './progress-tests.js';
export { backendLeaseTests } from './lease-tests.js';
export { backendCompactionTests } from './compaction-tests.js';
export { backendPropertyTests } from './property-tests.js';
export { ReferenceModel, type OperationTarget } from './reference-model.js';
export {
  OPERATION_KEYS,
  OPERATION_PREFIXES,
  backendOperationArbitrary,
  backendOperationsArbitrary,
  type BackendOperation,
  type Expectation,
  type OperationArbitraryOptions,
  type RevisionRef,
} from './operations.js';
export { runOperations, type NormalizedKeyValue, type OperationResult, type RunOperationsOptions } from './run-operations.js';
export { WatchCollector, type CollectOptions } from './watch-collector.js';
export {
  materialize as materializeTxn,
  txnSequenceArbitrary,
  txnSpec,
  type CompareSpec,
  type OpSpec,
  type TxnSpec,
  type TxnTemplate,
} from './txn-operations.js';
export { runTxnSequence, type TxnOutcomeRecord } from './run-txn-sequence.js';
