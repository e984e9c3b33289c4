import { resolve } from 'node:path';
import { ConfigError, type ConfigForResource, type Driver } from '@storagebackend/core';
import { SqliteEngine } from './engine.js';
import { parseDriverOptions, parseSettings, type SqliteDriverOptions, type SqliteSettings } from './options.js';
import { SqliteBackend } from './sqlite-backend.js';

/**
 * The SQLite driver: `createBackend` resolves to a {@link SqliteBackend}.
 *
 * @example
 * const driver: SqliteDriver = createSqliteDriver({ clock: new ManualClock() });
 * const backend = await driver.createBackend(config);
 */
export interface SqliteDriver extends Driver {
  readonly type: 'sqlite';
  createBackend(config: ConfigForResource): Promise<SqliteBackend>;
}

interface OpenFile {
  readonly engine: Promise<SqliteEngine>;
  readonly settings: string;
  refs: number;
}

function databasePath(config: ConfigForResource): string {
  const list = config?.transport?.serverList;
  if (!Array.isArray(list) || list.length !== 1 || typeof list[0] !== 'string' || list[0].trim() === '') {
    throw new ConfigError(
      'InvalidConfig',
      `sqlite: transport.serverList must hold exactly one entry, a database file path or ':memory:' (got ${JSON.stringify(list)})`,
    );
  }
  return list[0];
}

/**
 * Creates a SQLite driver. Backends created for the same file (or for `:memory:`) by one driver share a single
 * connection and revision sequence, like resources sharing one etcd; the file is closed with its last backend.
 * Use a separate driver (or file) when you need an isolated `:memory:` store.
 *
 * @example
 * const driver = createSqliteDriver({ synchronous: 'FULL', pollIntervalMs: 50 });
 * const backend = await driver.createBackend({ ...config, transport: { ...config.transport, serverList: ['./state.db'] } });
 */
export function createSqliteDriver(options?: SqliteDriverOptions): SqliteDriver {
  const { clock, defaults } = parseDriverOptions(options);
  const open = new Map<string, OpenFile>();

  async function createBackend(config: ConfigForResource): Promise<SqliteBackend> {
    const path = databasePath(config);
    const settings: SqliteSettings = parseSettings('config.driverOptions', config.driverOptions, defaults);
    const id = path === ':memory:' ? path : resolve(path);
    const key = JSON.stringify(settings);
    let file = open.get(id);
    if (file && file.settings !== key) {
      throw new ConfigError('InvalidConfig', `sqlite: ${path} is already open in this process with different driverOptions`);
    }
    if (!file) {
      const opened: OpenFile = { engine: SqliteEngine.open(path, settings, clock), settings: key, refs: 0 };
      // A failed open leaves nothing behind; the next createBackend tries afresh.
      opened.engine.catch(() => {
        if (open.get(id) === opened) open.delete(id);
      });
      open.set(id, opened);
      file = opened;
    }
    const entry = file;
    entry.refs++;
    let engine: SqliteEngine;
    try {
      engine = await entry.engine;
    } catch (err) {
      entry.refs--;
      throw err;
    }
    return new SqliteBackend(engine, async () => {
      if (--entry.refs > 0) return;
      if (open.get(id) === entry) open.delete(id);
      await engine.close();
    });
  }

  return { type: 'sqlite', createBackend };
}

/**
 * The default SQLite driver (`type: 'sqlite'`, system clock); `serverList[0]` is a file path or `:memory:`.
 *
 * @example
 * registry.register(sqliteDriver);
 */
export const sqliteDriver: SqliteDriver = createSqliteDriver();
