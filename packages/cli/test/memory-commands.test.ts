import { existsSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ok, POD_YAML, run, tempDir } from './storagectl.js';

// A memory backend lives in one process: each storagectl invocation starts with an empty store. What is
// meaningful is one invocation's own work, and that nothing is left behind.
describe('storagectl on memory backends', () => {
  const temp = tempDir('storagectl-memory-');
  afterAll(temp.remove);

  it.each([['memory:'], ['memory:shared'], ['memory://named']])('%s: create prints what it stored, with fresh revisions', async (url) => {
    const out = await ok(['--backend', url, 'create', '-f', '-', '-o', 'json'], { cwd: temp.dir, input: POD_YAML });
    const created = out
      .trim()
      .split(/\n(?=\{)/)
      .map((t) => JSON.parse(t) as { metadata: { name: string; resourceVersion: string } });
    expect(created.map((o) => [o.metadata.name, o.metadata.resourceVersion])).toEqual([
      ['web-0', '2'],
      ['web-1', '3'],
      ['db-0', '4'],
      ['node-a', '5'],
    ]);
  });

  it('a new invocation starts empty: list, get and status say so', async () => {
    const list = await run(['--backend', 'memory:shared', 'list', 'pods'], { cwd: temp.dir });
    expect(list.code).toBe(0);
    expect(list.stdout).toBe('');
    expect(list.stderr.trim()).toBe('No resources found in default namespace.');
    const get = await run(['--backend', 'memory:shared', 'get', 'pods', 'web-0'], { cwd: temp.dir });
    expect(get.code).toBe(1);
    expect(get.stderr.trim()).toBe('Error from server (NotFound): pods "web-0" not found');
    const status = JSON.parse(await ok(['--backend', 'memory:', 'status', '-o', 'json'], { cwd: temp.dir })) as Record<string, unknown>;
    expect(status).toMatchObject({ backend: 'memory: (private)', type: 'memory', objectCount: 0, compactRevision: 0 });
  });

  it('health, compact and the empty list all work, and nothing is written to disk', async () => {
    expect(await ok(['--backend', 'memory:x', 'health'], { cwd: temp.dir })).toMatch(/^memory:x is healthy/);
    const compact = await run(['--backend', 'memory:x', 'compact', '5'], { cwd: temp.dir });
    expect(compact.code).toBe(1); // revision 5 is in the future of an empty store
    expect(compact.stderr).not.toMatch(/\n\s+at /);
    expect(await ok(['--backend', 'memory:x', 'list', '-o', 'json'], { cwd: temp.dir })).toContain('"items": []');
    expect(existsSync(`${temp.dir}/storagectl.db`)).toBe(false);
    expect(readdirSync(temp.dir)).toEqual([]);
  });

  it('the demo still runs through the binary on the embedded memory backend', async () => {
    const out = await ok(['demo'], { cwd: temp.dir });
    expect(out).toMatch(/created  default\/web-0 rv=2/);
    expect(out).toMatch(/stats: 2 pods stored in all/);
  });
});
