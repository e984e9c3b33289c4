import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../src/index.js';

/** The first ts block after `heading` in core's README, without its imports. */
function readmeBlock(heading: string): string {
  const text = readFileSync(fileURLToPath(new URL('../../core/README.md', import.meta.url)), 'utf8');
  const after = text.slice(text.indexOf(heading));
  const block = /```ts\n([\s\S]*?)```/.exec(after)?.[1];
  if (block === undefined) throw new Error(`no ts block after ${heading}`);
  return block
    .split('\n')
    .filter((line) => !line.startsWith('import '))
    .join('\n');
}

/** The block as JavaScript: TypeScript's own transpiler drops the types. */
function javascript(block: string): string {
  return ts.transpileModule(block, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
}

describe('the core README transaction example', () => {
  it('runs as written on the memory driver', async () => {
    const logged: unknown[] = [];
    const run = new Function('MemoryBackend', 'console', `return (async () => {\n${javascript(readmeBlock('## The Backend contract'))}\n})();`) as (
      ctor: typeof MemoryBackend,
      console: { log: (v: unknown) => void },
    ) => Promise<void>;
    await run(MemoryBackend, { log: (v) => void logged.push(v) });
    expect(logged).toEqual([true, false]);
  });
});
