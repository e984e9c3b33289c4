import Database from 'better-sqlite3';
import { BackendError, ConfigError } from '@storagebackend/core';
import { isBusy, sqliteCode } from './errors.js';
import { inspect, migrate } from './schema.js';
import type { SqliteSettings } from './options.js';

/*
 * better-sqlite3 is synchronous: SQLite's own busy handler would freeze the event loop while another process
 * holds the lock. Keep it short and retry asynchronously (see retry.ts) up to busyTimeoutMs instead.
 */
export const RUNTIME_BUSY_TIMEOUT_MS = 10;
/** After a checkpoint the WAL file is truncated back to at most this size. */
const JOURNAL_SIZE_LIMIT_BYTES = 32 * 1024 * 1024;

/** Opens (creating if needed) and migrates the database; every failure is a ConfigError or BackendError. */
export function openDatabase(path: string, settings: SqliteSettings, now: number): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: settings.busyTimeoutMs });
  } catch (err) {
    throw new ConfigError('InvalidConfig', `sqlite: cannot open database ${path}: ${(err as Error).message}`, err);
  }
  try {
    // Nothing may be written to a file that is foreign or newer than us, so look before touching anything.
    inspect(db, path);
    // Lets compaction hand freed pages back to the file system; only possible on a brand-new file.
    if (db.pragma('page_count', { simple: true }) === 0) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${settings.synchronous}`);
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
    db.pragma('temp_store = MEMORY');
    migrate(db, path, now);
    // Proves the file is writable now rather than at the first put.
    db.prepare('BEGIN IMMEDIATE').run();
    db.prepare('ROLLBACK').run();
    db.pragma(`busy_timeout = ${Math.min(settings.busyTimeoutMs, RUNTIME_BUSY_TIMEOUT_MS)}`);
    return db;
  } catch (err) {
    if (db.inTransaction) db.prepare('ROLLBACK').run();
    db.close();
    throw openError(path, err);
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
