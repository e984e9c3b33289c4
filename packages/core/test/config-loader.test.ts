import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigFieldError } from '../src/config/config-field-error.js';
import { configFromEnv } from '../src/config/config-from-env.js';
import { parseConfigText } from '../src/config/config-document.js';
import { loadConfig } from '../src/config/load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (text: string, ext = 'yaml'): string => {
  const path = join(dir, `c${++n}.${ext}`);
  writeFileSync(path, text);
  return path;
};

async function loadError(options: Parameters<typeof loadConfig>[0]): Promise<ConfigFieldError> {
  const err = await loadConfig(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigFieldError);
  return err as ConfigFieldError;
}

describe('config files (YAML and JSON)', () => {
  it('a YAML file with a backend URL and fields, over the defaults', async () => {
    const path = file(`
backend: sqlite:./state.db
prefix: /apps
compactionIntervalMs: 0
transport:
  trustedCAFile: /etc/ca.pem
leaseManagerConfig:
  reuseDurationSeconds: 30
driverOptions:
  synchronous: FULL
`);
    const config = await loadConfig({ file: path, env: {} });
    expect(config).toMatchObject({
      type: 'sqlite',
      prefix: '/apps',
      compactionIntervalMs: 0,
      healthcheckTimeoutMs: 2000,
      transport: { serverList: ['./state.db'], trustedCAFile: '/etc/ca.pem', keyFile: '', certFile: '' },
      leaseManagerConfig: { reuseDurationSeconds: 30, maxObjectCount: 1000 },
      driverOptions: { synchronous: 'FULL' },
    });
  });

  it('a JSON file with type and transport.serverList', async () => {
    const path = file(JSON.stringify({ type: 'etcd3', transport: { serverList: ['http://127.0.0.1:2379'] } }), 'json');
    const config = await loadConfig({ file: path, env: {} });
    expect(config.type).toBe('etcd3');
    expect(config.transport.serverList).toEqual(['http://127.0.0.1:2379']);
    expect(config.prefix).toBe('/registry');
  });

  it.each([
    ['unknown top-level field', 'backend: memory:x\ncompactionInterval: 5', 'compactionInterval', 'unknown field'],
    ['unknown transport field', 'backend: memory:x\ntransport: {caFile: /x}', 'transport.caFile', 'unknown field'],
    ['a duration as a string', 'backend: memory:x\ncompactionIntervalMs: 5m', 'compactionIntervalMs', 'must be a number'],
    ['a negative duration', 'backend: memory:x\nhealthcheckTimeoutMs: -5', 'healthcheckTimeoutMs', 'non-negative'],
    ['a bad URL', 'backend: "redis://u:topsecret@h:x"', 'backend', 'invalid port'],
    ['both backend and type', 'backend: memory:x\ntype: sqlite', 'backend', 'not both'],
    ['serverList not a list', 'type: sqlite\ntransport: {serverList: ./x.db}', 'transport.serverList', 'list'],
    ['not a mapping', '- a\n- b', 'config', 'mapping'],
    ['two documents', 'backend: memory:a\n---\nbackend: memory:b', 'file', '2 documents'],
    ['invalid YAML', 'backend: [memory:x', 'file', 'not valid YAML'],
    ['an empty file', '', 'file', 'empty'],
    ['a bad driverOptions', 'backend: memory:x\ndriverOptions: 3', 'driverOptions', 'mapping'],
  ])('%s is refused, naming the field and the file', async (_name, text, field, message) => {
    const path = file(text);
    const err = await loadError({ file: path, env: {} });
    expect(err.field).toBe(field);
    expect(err.message).toContain(message);
    expect(err.message).toContain(path);
    expect(err.message).not.toContain('topsecret');
  });

  it('a missing file is refused, naming it', async () => {
    const err = await loadError({ file: join(dir, 'nope.yaml'), env: {} });
    expect(err.field).toBe('file');
    expect(err.message).toContain('no such file');
  });

  it('parseConfigText reads a document without a backend as a partial config', () => {
    expect(parseConfigText('prefix: /x\nreadycheckTimeoutMs: 10')).toEqual({ prefix: '/x', readycheckTimeoutMs: 10, transport: {}, leaseManagerConfig: {} });
  });
});

describe('environment variables', () => {
  it('STORAGECTL_BACKEND, _PREFIX, TLS files and compaction interval', () => {
    const partial = configFromEnv({
      STORAGECTL_BACKEND: 'https://127.0.0.1:2379',
      STORAGECTL_PREFIX: '/env',
      STORAGECTL_CACERT: '/ca.pem',
      STORAGECTL_CERT: '/c.pem',
      STORAGECTL_KEY: '/k.pem',
      STORAGECTL_COMPACTION_INTERVAL_MS: '0',
      STORAGECTL_UNRELATED: 'x',
    });
    expect(partial).toMatchObject({
      type: 'etcd3',
      prefix: '/env',
      compactionIntervalMs: 0,
      transport: { serverList: ['https://127.0.0.1:2379'], trustedCAFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' },
    });
  });

  it('empty variables count as unset', () => {
    expect(configFromEnv({ STORAGECTL_BACKEND: '', STORAGECTL_PREFIX: '' })).toEqual({ transport: {}, leaseManagerConfig: {} });
  });

  it.each([
    [{ STORAGECTL_BACKEND: 'nope' }, 'STORAGECTL_BACKEND'],
    [{ STORAGECTL_BACKEND: 'redis://:sekrit@h:1/x' }, 'STORAGECTL_BACKEND'],
    [{ STORAGECTL_COMPACTION_INTERVAL_MS: '5m' }, 'STORAGECTL_COMPACTION_INTERVAL_MS'],
    [{ STORAGECTL_COMPACTION_INTERVAL_MS: '-1' }, 'STORAGECTL_COMPACTION_INTERVAL_MS'],
  ])('%j is refused, naming the variable', (env, field) => {
    let caught: unknown;
    try {
      configFromEnv(env);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigFieldError);
    expect((caught as ConfigFieldError).field).toBe(field);
    expect((caught as Error).message).not.toContain('sekrit');
  });
});

describe('loadConfig precedence: defaults < file < environment < url < overrides', () => {
  const path = () => file('backend: sqlite:./from-file.db\nprefix: /file\ncompactionIntervalMs: 1000\ndriverOptions: {synchronous: FULL}');

  it('the file alone', async () => {
    const config = await loadConfig({ file: path(), env: {} });
    expect([config.type, config.transport.serverList, config.prefix]).toEqual(['sqlite', ['./from-file.db'], '/file']);
  });

  it('the environment wins over the file; a new backend drops the file driver options', async () => {
    const config = await loadConfig({ file: path(), env: { STORAGECTL_BACKEND: 'memory:env', STORAGECTL_PREFIX: '/env' } });
    expect([config.type, config.transport.serverList, config.prefix, config.compactionIntervalMs]).toEqual(['memory', ['env'], '/env', 1000]);
    expect(config.driverOptions).toBeUndefined();
  });

  it('STORAGECTL_CONFIG names the file', async () => {
    const config = await loadConfig({ env: { STORAGECTL_CONFIG: path() } });
    expect(config.prefix).toBe('/file');
  });

  it('the url wins over the environment, overrides over everything', async () => {
    const config = await loadConfig({
      file: path(),
      env: { STORAGECTL_BACKEND: 'memory:env', STORAGECTL_PREFIX: '/env' },
      url: 'etcd3://127.0.0.1:2379',
      overrides: { prefix: '/flag' },
    });
    expect([config.type, config.transport.serverList, config.prefix]).toEqual(['etcd3', ['http://127.0.0.1:2379'], '/flag']);
  });

  it('the default URL applies only when nothing names a backend', async () => {
    expect((await loadConfig({ env: {}, defaultUrl: 'sqlite:./default.db' })).transport.serverList).toEqual(['./default.db']);
    expect((await loadConfig({ env: { STORAGECTL_BACKEND: 'memory:e' }, defaultUrl: 'sqlite:./d.db' })).type).toBe('memory');
    expect((await loadConfig({ env: { STORAGECTL_PREFIX: '/p' }, defaultUrl: 'sqlite:./d.db' })).prefix).toBe('/p');
  });

  it('nothing at all and no default is an error, never a silent backend', async () => {
    const err = await loadError({ env: {} });
    expect(err.field).toBe('backend');
    expect(err.message).toContain('STORAGECTL_BACKEND');
  });

  it('a bad url is reported as the field the caller names', async () => {
    expect((await loadError({ env: {}, url: 'x', urlField: '--backend' })).field).toBe('--backend');
  });
});
