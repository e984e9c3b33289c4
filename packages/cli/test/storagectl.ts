import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built binary, as `npm install` links it. */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: Record<string, string>;
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** The environment without any STORAGECTL_* of the developer's shell, plus the test's own. */
function envFor(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('STORAGECTL_')) env[k] = v;
  return { ...env, ...extra };
}

export function start(args: readonly string[], options: RunOptions): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: envFor(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs storagectl to completion (killed after `timeoutMs`, default 20 s). */
export function run(args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const child = start(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin!.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A run that must succeed; fails the test with its stderr otherwise. */
export async function ok(args: readonly string[], options: RunOptions): Promise<string> {
  const result = await run(args, options);
  if (result.code !== 0) throw new Error(`storagectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** A long-running storagectl (watch): its stdout lines as they come, and a SIGINT to end it. */
export class Running {
  readonly lines: string[] = [];
  stderr = '';
  readonly #child: ChildProcess;
  readonly #exit: Promise<number | null>;
  #buffer = '';

  constructor(args: readonly string[], options: RunOptions) {
    this.#child = start(args, options);
    this.#child.stdin!.end();
    this.#child.stdout!.on('data', (d: Buffer) => {
      this.#buffer += d.toString();
      const parts = this.#buffer.split('\n');
      this.#buffer = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.#child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.#exit = new Promise((resolve) => this.#child.on('close', (code) => resolve(code)));
  }

  async waitForLines(count: number, timeoutMs = 15_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length < count) {
      if (Date.now() > deadline) throw new Error(`got ${this.lines.length} lines, wanted ${count}: ${this.lines.join('\n')}\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.lines;
  }

  /** Sends SIGINT and resolves with the exit code. */
  interrupt(): Promise<number | null> {
    this.#child.kill('SIGINT');
    return this.exited();
  }

  /** Kills it like a crash (SIGKILL). */
  kill(): void {
    this.#child.kill('SIGKILL');
  }

  exited(timeoutMs = 10_000): Promise<number | null> {
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), timeoutMs);
    return this.#exit.finally(() => clearTimeout(timer));
  }
}

/** A fresh working directory, removed by the returned function. */
export function tempDir(prefix = 'storagectl-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const POD_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: web-0
  labels: {app: web, tier: front}
spec: {nodeName: node-a}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: default
  labels: {app: web, tier: back}
spec: {nodeName: node-b}
---
apiVersion: v1
kind: Pod
metadata:
  name: db-0
  namespace: staging
  labels: {app: db}
spec: {nodeName: node-a}
---
kind: Node
apiVersion: v1
metadata: {name: node-a}
`;
