import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BackendError, ConfigError } from '@storagebackend/core';
import { isBusy, sqliteCode } from './errors.js';
import { inspect, migrate } from './schema.js';
import type { SqliteSettings } from './options.js';

/*
 * better-sqlite3 is synchronous: SQLite's own busy handler would freeze the event loop while another process
 * holds the lock. Keep it short and retry asynchronously up to busyTimeoutMs instead (also while opening).
 */
export const RUNTIME_BUSY_TIMEOUT_MS = 10;
const MAX_RETRY_DELAY_MS = 50;
/** After a checkpoint the WAL file is truncated back to at most this size. */
const JOURNAL_SIZE_LIMIT_BYTES = 32 * 1024 * 1024;

/**
 * Opens (creating if needed) and migrates the database; every failure is a ConfigError or BackendError. While
 * another connection holds the lock it waits up to busyTimeoutMs without blocking the event loop.
 */
export async function openDatabase(path: string, settings: SqliteSettings, now: number): Promise<Database.Database> {
  checkWritable(path);
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: Math.min(settings.busyTimeoutMs, RUNTIME_BUSY_TIMEOUT_MS) });
  } catch (err) {
    throw new ConfigError('InvalidConfig', `sqlite: cannot open database ${path}: ${(err as Error).message}`, err);
  }
  const deadline = Date.now() + settings.busyTimeoutMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
    try {
      setUp(db, path, settings, now);
      return db;
    } catch (err) {
      try {
        if (db.inTransaction) db.prepare('ROLLBACK').run();
      } catch {
        // Closing below discards the transaction anyway.
      }
      if (!isBusy(err) || Date.now() >= deadline) {
        db.close();
        throw openError(path, err);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Every step may be repeated after SQLITE_BUSY. */
function setUp(db: Database.Database, path: string, settings: SqliteSettings, now: number): void {
  // Nothing may be written to a file that is foreign or newer than us, so look before touching anything.
  inspect(db, path);
  // Lets compaction hand freed pages back to the file system; only possible on a brand-new file.
  if (db.pragma('page_count', { simple: true }) === 0) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${settings.synchronous}`);
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
  db.pragma('temp_store = MEMORY');
  migrate(db, path, now);
  proveWritable(db);
}

/**
 * Refuses a database this process may not write before SQLite touches it. SQLite would quietly open such a file
 * read-only, create `-wal`/`-shm` files next to it, and fail only at the first write.
 */
function checkWritable(path: string): void {
  if (path === ':memory:' || path === '') return;
  const denied = (file: string): Error | null => {
    try {
      accessSync(file, constants.W_OK);
      return null;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : (err as Error);
    }
  };
  let exists = true;
  try {
    accessSync(path, constants.F_OK);
  } catch {
    exists = false;
  }
  // A new file is created in its directory; a missing directory is left for SQLite to report.
  const files = exists ? [path, `${path}-wal`, `${path}-shm`] : [dirname(path)];
  for (const file of files) {
    const err = denied(file);
    if (err) throw new ConfigError('InvalidConfig', `sqlite: cannot write database ${path}: ${err.message}`, err);
  }
}

/**
 * Proves the file is writable now rather than at the first put. BEGIN IMMEDIATE alone proves nothing: in WAL
 * mode it succeeds on a read-only file. A write inside the transaction (rolled back, so nothing changes) does.
 */
function proveWritable(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  db.prepare('BEGIN IMMEDIATE').run();
  try {
    db.pragma(`user_version = ${version}`);
  } finally {
    if (db.inTransaction) db.prepare('ROLLBACK').run();
  }
}

function openError(path: string, err: unknown): Error {
  if (err instanceof ConfigError || err instanceof BackendError) return err;
  const code = sqliteCode(err) ?? '';
  const message = (err as Error).message;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new BackendError('Corrupt', `sqlite: ${path} is not a usable SQLite database: ${message}`, { cause: err });
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return new ConfigError('InvalidConfig', `sqlite: cannot write database ${path}: ${message}`, err);
  }
  if (isBusy(err)) {
    return new BackendError('Timeout', `sqlite: ${path} stayed locked by another connection while opening: ${message}`, { cause: err });
  }
  return new BackendError('Internal', `sqlite: opening ${path} failed: ${message}`, { cause: err });
}
