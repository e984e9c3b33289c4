import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The kit's teeth: the backend suite runs (in a child vitest) against deliberately broken wrappers of the memory
// backend and must fail each of them, while the same groups pass against the unbroken backend.

interface AssertionResult {
  readonly title: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}
interface FileResult {
  readonly name: string;
  readonly status: string;
  readonly message?: string;
  readonly assertionResults: readonly AssertionResult[];
}

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const config = fileURLToPath(new URL('./vitest.teeth.config.ts', import.meta.url));
const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

let files: FileResult[] = [];

function fixture(name: string): FileResult {
  const file = files.find((f) => f.name.endsWith(`/fixtures/${name}.fixture.ts`));
  if (file === undefined) throw new Error(`fixture ${name} did not run; ran: ${files.map((f) => f.name).join(', ')}`);
  return file;
}

const withStatus = (file: FileResult, status: string) => file.assertionResults.filter((a) => a.status === status);

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'backend-teeth-'));
  const out = join(dir, 'report.json');
  // The child must not think it is a worker of this run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [vitestBin, 'run', '--config', config, '--reporter=json', `--outputFile=${out}`],
        { cwd: packageDir, env, timeout: 110_000, maxBuffer: 32 * 1024 * 1024 },
        // Failing fixtures make vitest exit non-zero; the report decides.
        (err, _stdout, stderr) => (err && (err as { killed?: boolean }).killed ? reject(new Error(`teeth run killed: ${stderr}`)) : resolve()),
      );
    });
    const report = JSON.parse(await readFile(out, 'utf8')) as { testResults: FileResult[] };
    files = report.testResults;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);

describe('backend suite teeth', () => {
  it('the unbroken memory backend passes every group the teeth use', () => {
    const healthy = fixture('healthy');
    const failures = withStatus(healthy, 'failed').map((a) => `${a.title}: ${a.failureMessages[0]?.split('\n')[0]}`);
    expect(failures).toEqual([]);
    expect(healthy.message ?? '', 'the fixture loaded').toBe('');
    expect(withStatus(healthy, 'passed').length).toBeGreaterThan(20);
  });

  it.each([
    ['reports the same revision for two consecutive writes', 'reused-revision'],
    ['drops every 7th watch event', 'dropped-watch-event'],
    ['ignores the expected revision on optimistic put', 'ignored-expected-revision'],
    ['bumps the revision on reads', 'read-bumps-revision'],
  ])('fails a backend that %s', (_, name) => {
    const broken = fixture(name);
    expect(broken.message ?? '', 'the fixture loaded').toBe('');
    expect(broken.assertionResults.length, 'tests ran').toBeGreaterThan(0);
    expect(withStatus(broken, 'failed').length, 'kit tests failing the broken backend').toBeGreaterThan(0);
  });
});
