import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);

export interface RedisServerOptions {
  readonly password?: string;
  /** 'always' | 'everysec' | undefined (no AOF, no RDB: a restart loses everything). */
  readonly appendfsync?: 'always' | 'everysec';
  readonly extraArgs?: readonly string[];
}

export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  /** `redis://[:password@]127.0.0.1:port`. */
  url(db?: number): string;
  /** Runs redis-cli against the server and returns its stdout. */
  cli(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a real redis-server (`/usr/bin/redis-server`) for tests and benchmarks on a free loopback port, with its data
 * in a temp dir that `stop()` removes.
 *
 * @example
 * const server = await startRedis({ password: 'pw' });
 * const backend = await redisDriver.createBackend(configWith(server.url()));
 */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--loglevel', 'warning'];
  if (options.appendfsync) args.push('--appendonly', 'yes', '--appendfsync', options.appendfsync);
  else args.push('--appendonly', 'no');
  if (options.password) args.push('--requirepass', options.password);
  args.push(...(options.extraArgs ?? []));
  const child: ChildProcess = spawn('/usr/bin/redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let exited = false;
  child.once('exit', () => (exited = true));
  const auth = options.password ? ['-a', options.password, '--no-auth-warning'] : [];
  const cli = async (...cmd: string[]): Promise<string> =>
    (await run('/usr/bin/redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...auth, ...cmd])).stdout;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) throw new Error(`redis-server exited at start (port ${port})`);
    try {
      if ((await cli('PING')).trim() === 'PONG') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    port,
    dir,
    url: (db?: number) => `redis://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}${db === undefined ? '' : `/${db}`}`,
    cli,
    async stop() {
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
