import { status as grpcStatus } from '@grpc/grpc-js';
import { BackendError } from '@storagebackend/core';
import {
  ClientClosedError,
  EtcdLeaseInvalidError,
  GRPCCancelledError,
  GRPCDeadlineExceededError,
  GRPCInvalidArgumentError,
  GRPCUnavailableError,
  castGrpcError,
} from 'etcd3';

const COMPACTED = 'required revision has been compacted';
const FUTURE = 'required revision is a future revision';
const TOO_LARGE = 'etcdserver: request is too large';

/**
 * Maps an etcd3 / grpc-js error to a BackendError. Compacted and FutureRevision come back without their
 * revisions (etcd does not send them); the backend fills them in with follow-up reads.
 */
export function toBackendError(err: unknown, operation: string): BackendError {
  if (err instanceof BackendError) return err;
  // Errors from our own grpc streams are raw ServiceErrors; unary ones are already cast by etcd3.
  const cast = err instanceof Error ? castGrpcError(err) : new Error(String(err));
  const message = cast.message;
  const what = `etcd ${operation} failed: ${message}`;
  if (message.includes(COMPACTED)) return new BackendError('Compacted', 'mvcc: required revision has been compacted', { cause: err });
  if (message.includes(FUTURE)) return new BackendError('FutureRevision', 'mvcc: required revision is a future revision', { cause: err });
  if (cast instanceof EtcdLeaseInvalidError) return new BackendError('LeaseNotFound', 'lease not found', { cause: err });
  if (cast instanceof ClientClosedError) return new BackendError('Closed', 'backend is closed', { cause: err });
  if (cast instanceof GRPCDeadlineExceededError || message.includes('request timed out')) {
    return new BackendError('Timeout', what, { cause: err });
  }
  if (cast instanceof GRPCUnavailableError || cast instanceof GRPCCancelledError) {
    return new BackendError('Unreachable', what, { cause: err });
  }
  // Too-large requests: etcd's own check, or gRPC's message limit (max-request-bytes + 512 KiB) before it;
  // Kubernetes answers 413 to both.
  if (message.includes(TOO_LARGE)) return new BackendError('RequestTooLarge', TOO_LARGE, { cause: err });
  if (/received message larger than max/i.test(message)) {
    return new BackendError('RequestTooLarge', `${TOO_LARGE} (${message})`, { cause: err });
  }
  if (cast instanceof GRPCInvalidArgumentError) return new BackendError('InvalidArgument', what, { cause: err });
  return new BackendError('Internal', what, { cause: err });
}

// gRPC codes etcd uses to answer a request it rejected: asking another member would get the same answer.
const APPLICATION_CODES: ReadonlySet<number> = new Set([
  grpcStatus.INVALID_ARGUMENT,
  grpcStatus.NOT_FOUND,
  grpcStatus.ALREADY_EXISTS,
  grpcStatus.PERMISSION_DENIED,
  grpcStatus.RESOURCE_EXHAUSTED,
  grpcStatus.FAILED_PRECONDITION,
  grpcStatus.OUT_OF_RANGE,
  grpcStatus.UNAUTHENTICATED,
]);

function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * The member (or the way to it) failed rather than etcd rejecting the request: Unavailable, DeadlineExceeded,
 * name resolution, a reset stream, or anything that is not a gRPC status at all.
 */
export function isMemberFailure(err: unknown): boolean {
  const code = grpcCode(err);
  return code === undefined || !APPLICATION_CODES.has(code);
}

/**
 * etcd itself answered "not now" (`etcdserver: leader changed`, `no leader`, `request timed out`, `too many
 * requests`): the member is alive, and a read may be asked again once the cluster settles.
 */
export function etcdSaidRetry(err: unknown): boolean {
  return grpcCode(err) === grpcStatus.UNAVAILABLE && err instanceof Error && err.message.includes('etcdserver: ');
}

/** gRPC failed before the request left this process, so trying another member cannot apply it twice. */
export function neverSent(err: unknown): boolean {
  if (grpcCode(err) !== grpcStatus.UNAVAILABLE) return false;
  const message = err instanceof Error ? err.message : '';
  return message.includes('No connection established') || message.includes('Name resolution failed');
}

/** Watch stream failures that reconnecting cannot fix. */
export function isPermanentWatchFailure(err: unknown): boolean {
  const code = grpcCode(err);
  return (
    code === grpcStatus.PERMISSION_DENIED ||
    code === grpcStatus.UNIMPLEMENTED ||
    code === grpcStatus.UNAUTHENTICATED ||
    code === grpcStatus.INVALID_ARGUMENT
  );
}
