import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ok, run, tempDir } from './storagectl.js';

const temp = tempDir('storagectl-bad-');
afterAll(temp.remove);
const cwd = temp.dir;

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const nothingWritten = () => expect(existsSync(join(cwd, 'storagectl.db'))).toBe(false);

describe('usage errors: exit code 2, a plain message, nothing opened', () => {
  it.each([
    [['list', '--bogus'], "unknown option '--bogus'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['create'], "required option '-f, --filename <file>' not specified"],
    [['list', '-o', 'xml'], "argument 'xml' is invalid"],
    [['list', 'pods', '-l', 'app in (a'], 'unable to parse requirement'],
    [['list', 'pods', '--field-selector', 'a~b'], "invalid selector: 'a~b'"],
    [['list', 'pods', '--limit', '-1'], 'invalid --limit "-1"'],
    [['list', 'pods', '--resource-version', 'abc'], 'invalid --resource-version "abc"'],
    [['get'], 'get needs a RESOURCE'],
    [['get', 'pods', 'Bad_Name!'], 'invalid name "Bad_Name!"'],
    [['get', 'pods', 'a', '--key', '/pods/default/a'], 'either RESOURCE or --key'],
    [['patch', 'pods', 'a', '-p', '[1,2]'], 'a merge patch must be a JSON object'],
    [['delete', 'pods'], 'delete needs RESOURCE NAME'],
    [['compact', 'zero'], 'invalid revision "zero"'],
    [['--request-timeout', 'soon', 'list'], 'invalid --request-timeout "soon"'],
    [['--backend', 'cassandra://h:9042', 'list'], 'invalid storage config: --backend: unsupported scheme "cassandra:"'],
    [['--backend', './data.db', 'list'], 'for a SQLite file write sqlite:./data.db'],
    [['--backend', 'etcd3://127.0.0.1:99999', 'list'], 'invalid port "99999"'],
    [['--prefix', '/', 'list'], 'storagectl needs a prefix below the root'],
  ])('%j', async (args, message) => {
    const result = await run(args, { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    nothingWritten();
  });

  it('a password in a bad URL never reaches the output', async () => {
    for (const url of ['redis://app:hunter2@h:notaport', 'redis://app:hunter2@h:1/x', 'http://app:hunter2@h:2379']) {
      const result = await run(['--backend', url, '--debug', 'list'], { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('invalid storage config: --backend');
      expect(result.stderr + result.stdout).not.toContain('hunter2');
    }
  });

  it('a bad STORAGECTL_BACKEND or config file is named', async () => {
    const env = await run(['list'], { cwd, env: { STORAGECTL_BACKEND: 'sqlite:' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('invalid storage config: STORAGECTL_BACKEND: sqlite: needs a file path');
    writeFileSync(join(cwd, 'bad-config.yaml'), 'backend: memory:x\ncompactionInterval: 5\n');
    const file = await run(['--config', 'bad-config.yaml', 'list'], { cwd });
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('invalid storage config: compactionInterval: unknown field');
    expect(file.stderr).toContain('bad-config.yaml');
    const missing = await run(['--config', 'nope.yaml', 'list'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read nope.yaml: no such file');
    nothingWritten();
  });
});

describe('bad files: exit code 1, and nothing is written', () => {
  it.each([
    ['invalid YAML', 'kind: Pod\nmetadata: {name: [x\n', 'error: error parsing bad.yaml:'],
    ['no kind', 'metadata: {name: a}\n', "Object 'Kind' is missing"],
    ['no name', 'kind: Pod\nmetadata: {}\n', 'resource name may not be empty'],
    ['a scalar document', '42\n', 'the document is not an object'],
    ['an empty file', '', 'no objects passed to apply'],
    ['a bad second document', 'kind: Pod\nmetadata: {name: good}\n---\nkind: Pod\n', 'resource name may not be empty'],
    ['a namespace mismatch', 'kind: Pod\nmetadata: {name: a, namespace: x}\n', 'does not match the namespace "y"'],
    ['the same object twice', 'kind: Pod\nmetadata: {name: a}\n---\nkind: Pod\nmetadata: {name: a}\n', 'appears twice'],
  ])('%s', async (_name, text, message) => {
    writeFileSync(join(cwd, 'bad.yaml'), text);
    const result = await run(['create', '-f', 'bad.yaml', '-n', 'y'], { cwd });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    nothingWritten();
  });

  it('a missing file', async () => {
    const result = await run(['create', '-f', 'missing.yaml'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('error: the path "missing.yaml" does not exist');
    nothingWritten();
  });
});

describe('an unreachable server: a clear message and exit code 1 within seconds', () => {
  it.each([['list'], ['get', 'pods', 'a'], ['create', '-f', '-'], ['status'], ['watch', 'pods']])('%j', async (...args) => {
    const port = await deadPort();
    const result = await run(['--backend', `etcd3://127.0.0.1:${port}`, '--request-timeout', '3s', ...args], {
      cwd,
      input: 'kind: Pod\nmetadata: {name: a}\n',
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^Unable to connect to the server: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.ms).toBeLessThan(8_000);
    nothingWritten();
  });

  it('health reports unhealthy with exit code 1', async () => {
    const port = await deadPort();
    const result = await run(['--backend', `http://127.0.0.1:${port}`, 'health'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^http://127.0.0.1:${port} is unhealthy: `));
    expect(result.ms).toBeLessThan(8_000);
  });
});

describe('help and --debug', () => {
  const commands = ['get', 'list', 'create', 'replace', 'patch', 'delete', 'watch', 'compact', 'health', 'status', 'migrate'];
  it.each(commands)('%s --help shows usage and examples, exit code 0', async (command) => {
    const result = await run([command, '--help'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: storagectl ${command}`);
    expect(result.stdout).toContain('Examples:');
    nothingWritten();
  });

  it('storagectl --help lists every command; no arguments prints it with exit code 2', async () => {
    const help = await ok(['--help'], { cwd });
    for (const command of commands) expect(help).toContain(`  ${command} `);
    expect((await run([], { cwd })).code).toBe(2);
  });

  it('--debug adds the stack trace to a failed operation', async () => {
    const result = await run(['--backend', 'memory:', '--debug', 'get', 'pods', 'nope'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error from server (NotFound): pods "nope" not found');
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('the working directory is still clean', () => {
    expect(readdirSync(cwd).filter((f) => f.startsWith('storagectl'))).toEqual([]);
  });
});
