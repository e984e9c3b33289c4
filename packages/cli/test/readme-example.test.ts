import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(join(here, '../../../README.md'), 'utf8');
const scratch = join(here, '.readme-example');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the README example', () => {
  it('runs as written on the memory backend', async () => {
    const section = readme.slice(readme.indexOf('## Use it'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code, 'a ts code block under "## Use it"').toBeDefined();
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, `example-${Date.now()}.ts`);
    writeFileSync(file, `${code}\nexport {};\n`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(file);
      expect(log.mock.calls).toEqual([
        ['MODIFIED', 'web-0'],
        ['DELETED', 'web-0'],
      ]);
    } finally {
      log.mockRestore();
    }
  });
});
