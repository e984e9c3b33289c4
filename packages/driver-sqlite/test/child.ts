import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface Ack {
  readonly revision: number;
  readonly kind: 'put' | 'delete';
  readonly key: string;
}

/** A writer child process (test/fixtures/writer.ts) running the driver from source; collects its acks. */
export class WriterChild {
  readonly acks: Ack[] = [];
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #lines: string[] = [];
  #waiters: Array<() => void> = [];
  #stderr = '';

  constructor(path: string, mode: 'loop' | 'count', count: number, concurrency: number) {
    this.process = spawn(
      process.execPath,
      ['--conditions=@storagebackend/source', '--import', `${fixtures}register-ts.mjs`, `${fixtures}writer.ts`, path, mode, String(count), String(concurrency)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process.stderr!.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      const [word, revision, kind, key] = line.split(' ');
      if (word === 'ack') this.acks.push({ revision: Number(revision), kind: kind as Ack['kind'], key: key! });
      this.#lines.push(line);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get stderr(): string {
    return this.#stderr;
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
      if (exited) throw new Error(`writer exited early: ${this.#stderr}`);
      if (Date.now() > deadline) throw new Error(`writer timed out: ${this.#stderr}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  saw(line: string): boolean {
    return this.#lines.includes(line);
  }
}
