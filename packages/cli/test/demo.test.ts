import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo.js';

describe('storagectl demo on the embedded default', () => {
  it('creates, updates, lists page by page and watches', async () => {
    const lines: string[] = [];
    await runDemo({ type: 'memory', server: `demo-${Date.now()}`, log: (l) => lines.push(l) });
    const out = lines.join('\n');
    expect(out).toMatch(/created  default\/web-0 rv=2/);
    expect(out).toMatch(/create again fails as expected: StorageError: key exists/);
    expect(out).toMatch(/list page 1: \[web-0, web-1\] rv=\d+ remaining=1/);
    expect(out).toMatch(/list page 2: \[web-2\]/);
    expect(out).toMatch(/pods on node-b: \[web-1\]/);
    expect(out).toMatch(/ADDED +default\/web-0/);
    expect(out).toMatch(/MODIFIED default\/web-1/);
    expect(out).toMatch(/DELETED +default\/web-2/);
    expect(out).toMatch(/stats: 2 pods stored in all/);
  });
});

describe('storagectl demo on a SQLite file that keeps data', () => {
  it('runs again on the same file in a namespace of its own', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'sb-demo-'));
    try {
      const first: string[] = [];
      await runDemo({ type: 'sqlite', server: join(dir, 'demo.db'), log: (l) => first.push(l) });
      const second: string[] = [];
      await runDemo({ type: 'sqlite', server: join(dir, 'demo.db'), log: (l) => second.push(l) });
      expect(first.join('\n')).toMatch(/namespace default/);
      expect(second.join('\n')).toMatch(/namespace run-\d+/);
      expect(second.join('\n')).toMatch(/stats: 4 pods stored in all/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
