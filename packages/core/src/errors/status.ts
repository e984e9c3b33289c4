/** Kubernetes metav1.Status reasons used by the storage layer. */
export type StatusReason =
  | 'Expired'
  | 'Timeout'
  | 'BadRequest'
  | 'InternalError'
  | 'StoreReadError'
  | 'Invalid'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'RequestEntityTooLarge'
  | '';

export interface StatusCause {
  readonly type?: string;
  readonly message?: string;
  readonly field?: string;
}

/**
 * A Kubernetes `metav1.Status`: what API-status errors carry and what a watch ERROR event holds.
 *
 * @example
 * { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: '…', metadata: {} }
 */
export interface Status {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: { readonly continue?: string; readonly resourceVersion?: string };
  readonly status: 'Failure' | 'Success';
  readonly message: string;
  readonly reason: StatusReason;
  readonly code: number;
  readonly details?: { readonly causes?: readonly StatusCause[]; readonly retryAfterSeconds?: number };
}

/**
 * An error that is an API status (410 Expired, 504 Timeout, 400 BadRequest, 500 InternalError, …).
 *
 * @example
 * try { await storage.getList('/pods/', { resourceVersion: '1', resourceVersionMatch: 'Exact' }) }
 * catch (e) { if (isResourceExpired(e)) console.log((e as StatusError).status.code) } // 410
 */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  readonly status: Status;

  constructor(status: Status, options?: { cause?: unknown }) {
    super(status.message, options);
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason {
    return this.status.reason;
  }
}

export function newStatus(
  code: number,
  reason: StatusReason,
  message: string,
  extra: Pick<Partial<Status>, 'details' | 'metadata'> = {},
): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: extra.metadata ?? {},
    status: 'Failure',
    message,
    reason,
    code,
    ...(extra.details ? { details: extra.details } : {}),
  };
}
