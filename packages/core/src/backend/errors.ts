/** Stable codes of backend errors; messages may change, codes do not. */
export type BackendErrorCode =
  | 'Compacted'
  | 'FutureRevision'
  | 'LeaseNotFound'
  | 'Unreachable'
  | 'Timeout'
  | 'Closed'
  | 'InvalidArgument'
  | 'RequestTooLarge'
  | 'Corrupt'
  | 'Internal';

export interface BackendErrorOptions {
  readonly cause?: unknown;
  readonly compactRevision?: number;
  readonly currentRevision?: number;
}

/**
 * An error raised by a driver. The core maps codes to Kubernetes errors (Compacted → 410, FutureRevision →
 * TooLargeResourceVersion, Unreachable → StorageError Unreachable).
 *
 * @example
 * throw new BackendError('Compacted', 'mvcc: required revision has been compacted', { compactRevision: 42 });
 */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  readonly code: BackendErrorCode;
  readonly compactRevision: number | undefined;
  readonly currentRevision: number | undefined;

  constructor(code: BackendErrorCode, message: string, options: BackendErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.compactRevision = options.compactRevision;
    this.currentRevision = options.currentRevision;
  }
}

export function isBackendError(err: unknown, code?: BackendErrorCode): err is BackendError {
  return err instanceof BackendError && (code === undefined || err.code === code);
}

export function compactedError(compactRevision: number, cause?: unknown): BackendError {
  return new BackendError('Compacted', 'mvcc: required revision has been compacted', { compactRevision, cause });
}

export function futureRevisionError(currentRevision: number): BackendError {
  return new BackendError('FutureRevision', 'mvcc: required revision is a future revision', { currentRevision });
}

export function closedError(): BackendError {
  return new BackendError('Closed', 'backend is closed');
}
