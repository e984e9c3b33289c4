import type Database from 'better-sqlite3';
import { ConfigError } from '@storagebackend/core';

/** `PRAGMA application_id` of our files ('SBk1'), so we never adopt someone else's database. */
export const APPLICATION_ID = 0x53426b31;

/**
 * The database was written by a newer version of this driver; it is left untouched.
 *
 * @example
 * try { await sqliteDriver.createBackend(config); } catch (e) { if (e instanceof SchemaTooNewError) console.log(e.found); }
 */
export class SchemaTooNewError extends ConfigError {
  readonly found: number;
  readonly supported: number;

  constructor(path: string, found: number, supported: number) {
    super(
      'InvalidConfig',
      `sqlite: ${path} has schema version ${found}, newer than this driver supports (${supported}); upgrade @storagebackend/driver-sqlite`,
    );
    this.found = found;
    this.supported = supported;
  }
}

/*
 * History row ids are `revision << 20 | index` (index = position within a multi-key revision), so the newest
 * revision is one rowid seek. Instead of a (key, revision) index, which would cost every write a quarter of its
 * time, each row points at the key's previous row (`prev`); `tombstones` remembers the last row of deleted keys.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL);
  CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO meta (name, value) VALUES ('compact_revision', 0), ('compact_cursor', 0);
  CREATE TABLE current (
    key TEXT PRIMARY KEY,
    create_rev INTEGER NOT NULL,
    mod_rev INTEGER NOT NULL,
    version INTEGER NOT NULL,
    lease INTEGER NOT NULL,
    value BLOB NOT NULL
  );
  CREATE INDEX current_by_lease ON current (lease) WHERE lease <> 0;
  CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    rev INTEGER GENERATED ALWAYS AS (id >> 20) VIRTUAL,
    key TEXT NOT NULL,
    deleted INTEGER NOT NULL,
    create_rev INTEGER NOT NULL,
    version INTEGER NOT NULL,
    lease INTEGER NOT NULL,
    prev INTEGER NOT NULL,
    value BLOB NOT NULL
  );
  CREATE TABLE tombstones (key TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE leases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ttl_seconds INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL
  );
  CREATE INDEX leases_by_expiry ON leases (expires_at_ms);
  `,
  // 2: a transaction puts many keys in one revision, so a live key's newest row is (mod_rev, mod_sub), not (mod_rev, 0).
  `
  ALTER TABLE current ADD COLUMN mod_sub INTEGER NOT NULL DEFAULT 0;
  `,
];

/** The schema version this driver writes (`PRAGMA user_version`); newer files are refused with SchemaTooNewError. */
export const SCHEMA_VERSION = MIGRATIONS.length;

function readHeader(db: Database.Database): { appId: number; version: number; tables: number } {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = (db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number }).n;
  return { appId, version, tables };
}

function checkHeader(path: string, header: { appId: number; version: number; tables: number }): void {
  if (header.appId !== 0 && header.appId !== APPLICATION_ID) {
    throw new ConfigError('InvalidConfig', `sqlite: ${path} belongs to another application (application_id ${header.appId})`);
  }
  if (header.appId === 0 && header.tables > 0) {
    throw new ConfigError('InvalidConfig', `sqlite: ${path} is a SQLite database of another application; refusing to modify it`);
  }
  if (header.version > SCHEMA_VERSION) throw new SchemaTooNewError(path, header.version, SCHEMA_VERSION);
}

/** Read-only check that the file is ours (or empty) and not newer than this code; run before changing anything. */
export function inspect(db: Database.Database, path: string): void {
  checkHeader(path, readHeader(db));
}

/** Creates or upgrades the schema inside one IMMEDIATE transaction; refuses foreign or newer databases. */
export function migrate(db: Database.Database, path: string, now: number): void {
  const before = readHeader(db);
  checkHeader(path, before);
  if (before.version === SCHEMA_VERSION && before.appId === APPLICATION_ID) return;

  db.transaction(() => {
    // Re-read under the write lock: another process may have migrated meanwhile.
    const header = readHeader(db);
    checkHeader(path, header);
    if (header.appId === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    for (let v = header.version; v < SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]!);
      db.prepare('INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?, ?)').run(v + 1, now);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
