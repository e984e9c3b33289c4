import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandSuite } from './command-suite.js';
import { ok, tempDir } from './storagectl.js';

describe('storagectl on the default backend: ./storagectl.db in the working directory', () => {
  const temp = tempDir('storagectl-sqlite-');
  afterAll(temp.remove);

  it('with no backend given, the first command creates ./storagectl.db', async () => {
    expect(existsSync(join(temp.dir, 'storagectl.db'))).toBe(false);
    await ok(['status'], { cwd: temp.dir });
    expect(existsSync(join(temp.dir, 'storagectl.db'))).toBe(true);
  });

  commandSuite(() => ({ cwd: temp.dir, backendArgs: [] }));
});

describe('storagectl on a SQLite file named by URL, environment and config file', () => {
  const temp = tempDir('storagectl-sqlite-url-');
  afterAll(temp.remove);

  it('--backend sqlite:FILE, STORAGECTL_BACKEND and --config all reach the same file', async () => {
    const cwd = temp.dir;
    await ok(['--backend', 'sqlite:./other.db', 'create', '-f', '-'], { cwd, input: 'kind: ConfigMap\nmetadata: {name: a}\n' });
    const viaEnv = await ok(['get', 'configmaps', 'a', '-o', 'name'], { cwd, env: { STORAGECTL_BACKEND: 'sqlite:./other.db' } });
    expect(viaEnv.trim()).toBe('configmaps/a');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(cwd, 'storage.yaml'), `backend: sqlite:${join(cwd, 'other.db')}\n`);
    expect((await ok(['--config', 'storage.yaml', 'list', '-o', 'name'], { cwd })).trim()).toBe('configmaps/a');
    expect(existsSync(join(cwd, 'storagectl.db'))).toBe(false);
  });

  it('--prefix and STORAGECTL_PREFIX keep data apart', async () => {
    const cwd = temp.dir;
    await ok(['--backend', 'sqlite:./p.db', '--prefix', '/one', 'create', '-f', '-'], { cwd, input: 'kind: ConfigMap\nmetadata: {name: a}\n' });
    expect((await ok(['--backend', 'sqlite:./p.db', 'list', '-o', 'name'], { cwd })).trim()).toBe('');
    const viaEnv = await ok(['--backend', 'sqlite:./p.db', 'list', '-o', 'name'], { cwd, env: { STORAGECTL_PREFIX: '/one' } });
    expect(viaEnv.trim()).toBe('configmaps/a');
  });
});
