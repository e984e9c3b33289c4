import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, isBackendError } from '@storagebackend/core';
import { SCHEMA_VERSION, SchemaTooNewError, createSqliteDriver, sqliteDriver } from '../src/index.js';
import { enc, sqliteConfig, tempDir } from './helpers.js';

const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => null, (e: unknown) => e);

describe('configuration and bad files', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterEach(() => cleanup());

  it('exports a driver of type sqlite whose backends claim every capability', async () => {
    expect(sqliteDriver.type).toBe('sqlite');
    const backend = await sqliteDriver.createBackend(sqliteConfig(join(dir, 'a.db')));
    expect(backend.capabilities).toEqual({ leases: true, progressNotify: true, requestProgress: true, txn: true, compaction: true });
    await backend.close();
  });

  it.each([
    [{ nope: 1 }, /unknown config.driverOptions option 'nope'/],
    [{ synchronous: 'OFF' }, /'synchronous' must be 'NORMAL' or 'FULL'/],
    [{ busyTimeoutMs: -5 }, /'busyTimeoutMs' must be/],
    [{ pollIntervalMs: 0 }, /'pollIntervalMs' must be/],
    [{ progressNotifyIntervalMs: 1.5 }, /'progressNotifyIntervalMs' must be/],
  ])('rejects driverOptions %j with ConfigError InvalidConfig', async (options, message) => {
    const path = join(dir, 'x.db');
    const err = await failure(sqliteDriver.createBackend(sqliteConfig(path, options)));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('InvalidConfig');
    expect((err as Error).message).toMatch(message);
  });

  it('accepts valid driverOptions', async () => {
    const backend = await sqliteDriver.createBackend(
      sqliteConfig(join(dir, 'ok.db'), { synchronous: 'FULL', busyTimeoutMs: 100, pollIntervalMs: 10, compactBatchSize: 5 }),
    );
    expect((await backend.optimisticPut('/a', enc('1'), 0)).revision).toBe(2);
    await backend.close();
  });

  it('rejects bad createSqliteDriver options synchronously', () => {
    expect(() => createSqliteDriver({ synchronous: 'SOMETIMES' as 'FULL' })).toThrow(ConfigError);
    expect(() => createSqliteDriver({ clock: {} as never })).toThrow(/clock/);
  });

  it('rejects a serverList that is not exactly one path', async () => {
    for (const list of [[], ['a.db', 'b.db'], ['  ']]) {
      const config = { ...sqliteConfig('unused'), transport: { ...sqliteConfig('unused').transport, serverList: list } };
      const err = await failure(sqliteDriver.createBackend(config));
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/serverList must hold exactly one entry/);
    }
  });

  it('an unopenable path is a ConfigError', async () => {
    mkdirSync(join(dir, 'adir'));
    for (const path of [join(dir, 'missing', 'x.db'), join(dir, 'adir')]) {
      const err = await failure(sqliteDriver.createBackend(sqliteConfig(path)));
      expect(err, path).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(path);
    }
  });

  it('a file that is not a database is a Corrupt BackendError and is left untouched', async () => {
    const path = join(dir, 'junk.db');
    const junk = Buffer.from('this is definitely not a sqlite database file, just some text '.repeat(100));
    writeFileSync(path, junk);
    const err = await failure(sqliteDriver.createBackend(sqliteConfig(path)));
    expect(isBackendError(err, 'Corrupt')).toBe(true);
    expect((err as Error).message).toContain(path);
    expect(readFileSync(path).equals(junk)).toBe(true);
  });

  it("refuses another application's SQLite database", async () => {
    const path = join(dir, 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');
    other.close();
    const before = readFileSync(path);
    const err = await failure(sqliteDriver.createBackend(sqliteConfig(path)));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/another application/);
    expect(readFileSync(path).equals(before)).toBe(true);
    const check = new Database(path, { readonly: true });
    expect(check.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all()).toEqual(['users']);
    check.close();
  });

  it('a newer schema version is a SchemaTooNewError and nothing is written', async () => {
    const path = join(dir, 'new.db');
    const backend = await sqliteDriver.createBackend(sqliteConfig(path));
    await backend.optimisticPut('/a', enc('1'), 0);
    await backend.close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = readFileSync(path);
    const err = await failure(sqliteDriver.createBackend(sqliteConfig(path)));
    expect(err).toBeInstanceOf(SchemaTooNewError);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION, code: 'InvalidConfig' });
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('the same file cannot be opened twice in one driver with different options', async () => {
    const driver = createSqliteDriver();
    const path = join(dir, 'twice.db');
    const first = await driver.createBackend(sqliteConfig(path));
    const err = await failure(driver.createBackend(sqliteConfig(path, { synchronous: 'FULL' })));
    expect(err).toBeInstanceOf(ConfigError);
    await first.close();
    const second = await driver.createBackend(sqliteConfig(path, { synchronous: 'FULL' }));
    await second.close();
  });

  it(':memory: backends of one driver share a store until the last one closes', async () => {
    const driver = createSqliteDriver();
    const a = await driver.createBackend(sqliteConfig(':memory:'));
    const b = await driver.createBackend(sqliteConfig(':memory:'));
    await a.optimisticPut('/m', enc('1'), 0);
    expect((await b.get('/m')).kv).not.toBeNull();
    await a.close();
    await b.close();
    const fresh = await driver.createBackend(sqliteConfig(':memory:'));
    expect(await fresh.get('/m')).toEqual({ kv: null, revision: 1 });
    await fresh.close();
  });
});
