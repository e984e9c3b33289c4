import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Runs the first ```ts block after `heading` in a README (path relative to this folder) as a module inside this
 * package, so its imports resolve as an app's would, and returns what it logged.
 */
export async function runReadmeBlock(readmePath: string, heading: string, scratchName: string): Promise<unknown[][]> {
  const readme = readFileSync(join(here, readmePath), 'utf8');
  const at = readme.indexOf(heading);
  if (at < 0) throw new Error(`no "${heading}" in ${readmePath}`);
  const code = /```ts\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
  if (code === undefined) throw new Error(`no ts code block under "${heading}" in ${readmePath}`);
  const scratch = join(here, scratchName);
  mkdirSync(scratch, { recursive: true });
  const file = join(scratch, `example-${Date.now()}.ts`);
  writeFileSync(file, `${code}\nexport {};\n`);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(file);
    return log.mock.calls;
  } finally {
    log.mockRestore();
    rmSync(scratch, { recursive: true, force: true });
  }
}
