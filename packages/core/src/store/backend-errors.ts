import { isBackendError } from '../backend/errors.js';
import { newRequestEntityTooLargeError, newTooLargeResourceVersionError } from '../errors/api-errors.js';
import { StorageError } from '../errors/storage-error.js';

/** Maps driver failures to storage errors a caller can test with the `is*` predicates; others pass through. */
export function mapBackendError(err: unknown, key: string, requestedRevision = 0): unknown {
  if (!isBackendError(err)) return err;
  switch (err.code) {
    case 'Unreachable':
    case 'Closed':
      return new StorageError('Unreachable', key, 0, err.message, err);
    case 'Timeout':
      return new StorageError('Timeout', key, 0, err.message, err);
    case 'RequestTooLarge':
      return newRequestEntityTooLargeError(err.message, err);
    case 'FutureRevision':
      return newTooLargeResourceVersionError(requestedRevision, err.currentRevision ?? 0);
    default:
      return err;
  }
}

/** Throws the signal's reason if it is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
