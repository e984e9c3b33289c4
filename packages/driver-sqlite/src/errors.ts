import { BackendError, closedError } from '@storagebackend/core';

/** The `code` of a better-sqlite3 SqliteError, or undefined for anything else. */
export function sqliteCode(err: unknown): string | undefined {
  if (err instanceof Error && err.name === 'SqliteError') {
    const code = (err as Error & { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Another connection holds a lock we need; worth retrying later. */
export function isBusy(err: unknown): boolean {
  const code = sqliteCode(err);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Maps anything thrown by SQLite to a BackendError with a stable code. */
export function toBackendError(err: unknown, what = 'sqlite operation'): BackendError {
  if (err instanceof BackendError) return err;
  const code = sqliteCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === undefined && err instanceof TypeError && /not open/.test(message)) return closedError();
  if (code?.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new BackendError('Corrupt', `sqlite: ${what} failed, the database file is damaged or not a database: ${message}`, { cause: err });
  }
  if (isBusy(err)) {
    return new BackendError('Timeout', `sqlite: ${what} timed out waiting for a lock held by another connection: ${message}`, { cause: err });
  }
  return new BackendError('Internal', `sqlite: ${what} failed: ${message}`, { cause: err });
}

export function invalidArgument(message: string): BackendError {
  return new BackendError('InvalidArgument', message);
}

export function leaseNotFound(id: string): BackendError {
  return new BackendError('LeaseNotFound', `etcdserver: requested lease not found (lease ${id})`);
}
