import { newStatus, StatusError } from './status.js';

export const RESOURCE_VERSION_TOO_LARGE_CAUSE = 'ResourceVersionTooLarge';

/** 410 Expired: a list, watch or continue token refers to a compacted revision. */
export function newResourceExpired(message: string, continueToken?: string): StatusError {
  return new StatusError(
    newStatus(410, 'Expired', message, continueToken ? { metadata: { continue: continueToken } } : {}),
  );
}

/** 504 Timeout with cause ResourceVersionTooLarge: the requested revision is ahead of the store. */
export function newTooLargeResourceVersionError(
  minimumResourceVersion: number | bigint,
  currentRevision: number,
  retrySeconds = 0,
): StatusError {
  const message = `Too large resource version: ${minimumResourceVersion}, current: ${currentRevision}`;
  return new StatusError(
    newStatus(504, 'Timeout', `Timeout: ${message}`, {
      details: { causes: [{ type: RESOURCE_VERSION_TOO_LARGE_CAUSE, message }], retryAfterSeconds: retrySeconds },
    }),
  );
}

/** 413 RequestEntityTooLarge: etcd refused the request as larger than its limit (Kubernetes `isTooLargeError`). */
export function newRequestEntityTooLargeError(message: string, cause?: unknown): StatusError {
  return new StatusError(newStatus(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`), { cause });
}

export function newBadRequest(message: string, cause?: unknown): StatusError {
  return new StatusError(newStatus(400, 'BadRequest', message), { cause });
}

/** 500 InternalError status (what watch ERROR events carry for decode and transform failures). */
export function newInternalErrorStatus(err: unknown): StatusError {
  const text = err instanceof Error ? err.message : String(err);
  return new StatusError(
    newStatus(500, 'InternalError', `Internal error occurred: ${text}`, { details: { causes: [{ message: text }] } }),
    { cause: err },
  );
}

/** The standard expired-list message (etcd3 `errors.go`). */
export const LIST_TOO_OLD = 'The resourceVersion for the provided list is too old.';
export const WATCH_TOO_OLD = 'The resourceVersion for the provided watch is too old.';
export const CONTINUE_TOO_OLD =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list ' +
  'without the continue parameter, or use the continue token in this response to retrieve the remainder of the ' +
  'results. Continuing with the provided token results in an inconsistent list - objects that were created, ' +
  'modified, or deleted between the time the first chunk was returned and now may show up in the list.';
export const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You must start a new list ' +
  'without the continue parameter.';
