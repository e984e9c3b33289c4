export { createSqliteDriver, sqliteDriver, type SqliteDriver } from './driver.js';
export { SqliteBackend } from './sqlite-backend.js';
export { DEFAULT_SETTINGS, type SqliteDriverOptions, type SqliteSettings, type SqliteSynchronous } from './options.js';
export { SchemaTooNewError, SCHEMA_VERSION } from './schema.js';
