import { BackendError, compactedError, futureRevisionError } from '@storagebackend/core';
import { redact } from './endpoint.js';

/**
 * The Redis server no longer holds this store's data (restarted without persistence, FLUSHALL, failover to an empty
 * replica): its store epoch key is gone or different. Revisions would restart, so every call fails instead.
 *
 * @example
 * try { await backend.get('/registry/pods/a'); } catch (err) { if (err instanceof StoreEpochError) alertOperator(err); }
 */
export class StoreEpochError extends BackendError {
  constructor() {
    super(
      'Corrupt',
      'redis: the store epoch changed, so the server lost this store\'s data (restart without persistence, FLUSHALL or failover); refusing to restart the revision counter',
    );
  }
}

export function invalidArgument(message: string): BackendError {
  return new BackendError('InvalidArgument', message);
}

export function leaseNotFound(): BackendError {
  return new BackendError('LeaseNotFound', 'etcdserver: requested lease not found');
}

const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|EPIPE|Connection is closed|Stream isn't writeable|connect|LOADING|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN/i;

/** Maps what ioredis throws to a BackendError with a stable code; the message never carries a password. */
export function toBackendError(err: unknown, what: string): BackendError {
  if (err instanceof BackendError) return err;
  const message = redact(err instanceof Error ? err.message : String(err));
  const script = /^(?:ERR )?(SBEPOCH|SBNOLEASE)\b/.exec(message)?.[1];
  if (script === 'SBEPOCH') return new StoreEpochError();
  if (script === 'SBNOLEASE') return leaseNotFound();
  const name = err instanceof Error ? err.name : '';
  if (name === 'MaxRetriesPerRequestError' || UNREACHABLE.test(message)) {
    return new BackendError('Unreachable', `redis: ${what} failed, server unreachable: ${message}`, { cause: err });
  }
  if (/^(WRONGPASS|NOAUTH|NOPERM)/.test(message)) {
    return new BackendError('Unreachable', `redis: ${what} failed, authentication refused: ${message}`, { cause: err });
  }
  return new BackendError('Internal', `redis: ${what} failed: ${message}`, { cause: err });
}

/** Turns a script's {-1, floor} / {-2, current} reply into the etcd error. */
export function revisionError(code: number, revision: number): BackendError {
  return code === -1 ? compactedError(revision) : futureRevisionError(revision);
}
