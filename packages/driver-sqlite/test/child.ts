import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface Ack {
  readonly revision: number;
  readonly kind: 'put' | 'delete';
  readonly key: string;
}

/** A child process running a test/fixtures script on the driver's sources; collects its output lines. */
export class FixtureChild {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #lines: string[] = [];
  #waiters: Array<() => void> = [];
  #stderr = '';

  constructor(script: string, args: readonly string[], options: { uid?: number; gid?: number } = {}) {
    this.process = spawn(
      process.execPath,
      ['--conditions=@storagebackend/source', '--import', `${fixtures}register-ts.mjs`, `${fixtures}${script}`, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'], ...options },
    );
    this.process.stderr!.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      this.onLine(line);
      this.#lines.push(line);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get stderr(): string {
    return this.#stderr;
  }

  get lines(): readonly string[] {
    return this.#lines;
  }

  /** Waits until `predicate` holds for the output so far (or the child exits / time runs out). */
  async until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => {
      exited = true;
      for (const wake of this.#waiters.splice(0)) wake();
    });
    while (!predicate()) {
      if (exited) throw new Error(`child exited early: ${this.#stderr}`);
      if (Date.now() > deadline) throw new Error(`child timed out: ${this.#stderr}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  saw(line: string): boolean {
    return this.#lines.includes(line);
  }

  protected onLine(_line: string): void {
    // Subclasses parse their lines.
  }
}

/** A writer child process (test/fixtures/writer.ts); collects its acks. */
export class WriterChild extends FixtureChild {
  readonly acks: Ack[] = [];

  constructor(path: string, mode: 'loop' | 'count', count: number, concurrency: number) {
    super('writer.ts', [path, mode, String(count), String(concurrency)]);
  }

  protected override onLine(line: string): void {
    const [word, revision, kind, key] = line.split(' ');
    // Field initialisers run after super(): the first lines may arrive before, but never synchronously.
    if (word === 'ack') this.acks.push({ revision: Number(revision), kind: kind as Ack['kind'], key: key! });
  }
}
