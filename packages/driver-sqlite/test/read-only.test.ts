import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteDriver } from '../src/index.js';
import { FixtureChild } from './child.js';
import { enc, sqliteConfig, tempDir } from './helpers.js';

/*
 * Root may write any file whatever its mode, so as root (CI) the opener runs as `nobody`: then the file mode is
 * what it is for any unprivileged service account. Not covered here: read-only mounts and immutable files.
 */
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

async function openAs(path: string): Promise<string[]> {
  const child = new FixtureChild('opener.ts', [path], asUser);
  const { code } = await child.exited;
  expect(code, child.stderr).toBe(0);
  return [...child.lines];
}

describe('a database this process may not write', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'state.db');
    const backend = await createSqliteDriver().createBackend(sqliteConfig(path));
    await backend.optimisticPut('/a', enc('1'), 0); // 2
    await backend.close();
    expect(readdirSync(dir)).toEqual(['state.db']);
  });
  afterEach(() => cleanup());

  it('a read-only file is refused at open with ConfigError, and nothing is created or changed', async () => {
    chmodSync(dir, 0o777); // SQLite could create -wal/-shm files here
    chmodSync(path, 0o444);
    const before = readFileSync(path);
    const lines = await openAs(path);
    expect(lines).toEqual([expect.stringMatching(/^error InvalidConfig ConfigError sqlite: cannot write database /)]);
    expect(lines[0]).toContain(path);
    expect(readdirSync(dir)).toEqual(['state.db']);
    expect(readFileSync(path).equals(before)).toBe(true);
  }, 90_000);

  it('a writable file in a directory where its WAL cannot be created is refused at open with ConfigError', async () => {
    chmodSync(path, 0o666);
    chmodSync(dir, 0o555);
    const lines = await openAs(path);
    expect(lines).toEqual([expect.stringMatching(/^error InvalidConfig ConfigError sqlite: cannot write database /)]);
    expect(readdirSync(dir)).toEqual(['state.db']);
  }, 90_000);

  it('the same user opens and writes the file once it may (the checks above are about access only)', async () => {
    chmodSync(dir, 0o777);
    chmodSync(path, 0o666);
    expect(await openAs(path)).toEqual(['opened', 'wrote 3']);
  }, 90_000);
});
