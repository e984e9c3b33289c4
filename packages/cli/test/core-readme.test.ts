import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Lives here rather than in core: the example loads drivers, which core does not depend on.
const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(join(here, '../../core/README.md'), 'utf8');
const scratch = join(here, '.core-readme-example');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the core README configuration example', () => {
  it('runs as written', async () => {
    const section = readme.slice(readme.indexOf('## Configuration'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, `example-${Date.now()}.ts`);
    writeFileSync(file, `${code}\nexport {};\n`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(file);
      expect(log.mock.calls).toEqual([['sqlite', '/apps', 300000]]);
    } finally {
      log.mockRestore();
    }
  });
});
