import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, tempDir } from './storagectl.js';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../README.md'), 'utf8');

describe('the storagectl README', () => {
  const temp = tempDir('storagectl-readme-');
  afterAll(temp.remove);

  it('the quick start runs as written on the default SQLite file', () => {
    const section = readme.slice(readme.indexOf('## Quick start'));
    const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    expect(script).toBeDefined();
    const out = execFileSync('bash', ['-euo', 'pipefail', '-c', `storagectl() { "${process.execPath}" "${BIN}" "$@"; }\n${script}`], {
      cwd: temp.dir,
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STORAGECTL_'))),
    }).toString();
    expect(out).toContain('pods/web-0 created\npods/web-1 created');
    expect(out).toMatch(/NAME\s+AGE\nweb-0\s+\S+\nweb-1/);
    expect(out).toContain('pods/web-1\n'); // the selector output
    expect(out).toContain('pods/web-0 patched');
    expect(out).toContain('pods "web-1" deleted');
    expect(out).toMatch(/sqlite:\.\/storagectl\.db\s+\/registry\s+5\s+0/);
  });

  it('documents every command with an example', () => {
    for (const command of ['get', 'list', 'create', 'replace', 'patch', 'delete', 'watch', 'compact', 'health', 'status', 'migrate', 'demo']) {
      const section = readme.split(`### ${command}\n`)[1]?.split('\n### ')[0] ?? '';
      const example = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
      expect(example, command).toMatch(new RegExp(`^storagectl [^\\n]*\\b${command}\\b`, 'm'));
    }
  });
});
