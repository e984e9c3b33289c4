import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './free-port.js';

/** TLS for the client listener; the peer listener stays plain HTTP on loopback. */
export interface EtcdTlsOptions {
  readonly certFile: string;
  readonly keyFile: string;
  /** CA that client certificates must chain to; required with `clientCertAuth`. */
  readonly trustedCAFile?: string;
  /** Require client certificates (`--client-cert-auth`). */
  readonly clientCertAuth?: boolean;
  /** Also serve plaintext clients on a second port (`plainEndpoint`), like a mixed-scheme deployment. */
  readonly alsoPlaintext?: boolean;
}

export interface StartEtcdOptions {
  /** etcd binary; default `$ETCD_BIN` or `/usr/bin/etcd`. */
  readonly binary?: string;
  /** `--experimental-watch-progress-notify-interval`; default 1000 ms (etcd's own default is 10 minutes). */
  readonly progressNotifyIntervalMs?: number;
  readonly tls?: EtcdTlsOptions;
  /** Data directory to use (kept on stop); default a fresh temp directory on /dev/shm, removed on stop. */
  readonly dataDir?: string;
  readonly heartbeatIntervalMs?: number;
  readonly electionTimeoutMs?: number;
  readonly quotaBackendBytes?: number;
  readonly extraArgs?: readonly string[];
  /** How long to wait for `/health`; default 20000 ms. */
  readonly startTimeoutMs?: number;
}

/**
 * A single-member etcd started for tests on free loopback ports.
 *
 * @example
 * const etcd = await startEtcd();
 * try { console.log(etcd.endpoint); } finally { await etcd.stop(); }
 */
export interface EtcdServer {
  /** Client URL, `http://127.0.0.1:<port>` (or `https://` with TLS). */
  readonly endpoint: string;
  /** With `tls.alsoPlaintext`: the plaintext client URL `http://127.0.0.1:<port>` of the same server. */
  readonly plainEndpoint?: string | undefined;
  readonly clientPort: number;
  readonly peerPort: number;
  /** Plain-HTTP `/health` and `/metrics` listener (also used for readiness with TLS). */
  readonly metricsPort: number;
  readonly dataDir: string;
  /** Pid of the running process, undefined while it is down. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Kills the process (SIGKILL) and removes a data directory it created; idempotent. */
  stop(): Promise<void>;
  /**
   * Sends a signal (default SIGKILL); waits for the exit when the signal ends the process, and with SIGSTOP
   * until every thread has stopped (else a request sent right after could still be answered).
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same ports and data directory (killing a running process first). */
  restart(): Promise<void>;
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** The tail of the process's stderr. */
  logs(): string;
}

const LOG_LIMIT = 32 * 1024;
const live = new Set<ChildProcess>();
const ownedDirs = new Set<string>();
let exitHookInstalled = false;

export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Never leave an etcd behind when the test process ends without calling stop().
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
    for (const dir of ownedDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** A fresh data directory (on /dev/shm when there is one), removed at process exit if not before. */
export function tempDataDir(): string {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'etcd-test-'));
  ownedDirs.add(dir);
  return dir;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One member's process; `startEtcd` and `startEtcdCluster` build it. */
export class EtcdProcess implements EtcdServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stderr = '';
  private stopped = false;

  constructor(
    private readonly binary: string,
    private readonly args: readonly string[],
    readonly endpoint: string,
    readonly clientPort: number,
    readonly peerPort: number,
    readonly metricsPort: number,
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
    private readonly startTimeoutMs: number,
    readonly plainEndpoint?: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  logs(): string {
    return this.stderr;
  }

  spawn(): void {
    const child = spawn(this.binary, this.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    live.add(child);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-LOG_LIMIT);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        live.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      });
      child.once('error', (err) => {
        this.stderr += `\nspawn error: ${err.message}`;
        live.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
  }

  async waitHealthy(timeoutMs = this.startTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const url = `http://127.0.0.1:${this.metricsPort}/health`;
    while (Date.now() < deadline) {
      if (this.child === undefined) throw new Error(`etcd exited before becoming healthy:\n${this.stderr}`);
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
        const body = (await res.json()) as { health?: string };
        if (res.ok && body.health === 'true') return;
      } catch {
        // not listening yet
      }
      await delay(50);
    }
    throw new Error(`etcd did not become healthy within ${timeoutMs} ms:\n${this.stderr}`);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    child.kill(signal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT') await this.exited;
    if (signal === 'SIGSTOP' && child.pid !== undefined) await waitStopped(child.pid);
  }

  async restart(): Promise<void> {
    if (this.stopped) throw new Error('etcd was stopped');
    await this.kill('SIGKILL');
    this.spawn();
    await this.waitHealthy();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.child !== undefined) {
      this.child.kill('SIGCONT');
      await this.kill('SIGKILL');
    }
    if (this.ownsDataDir) {
      rmSync(this.dataDir, { recursive: true, force: true });
      ownedDirs.delete(this.dataDir);
    }
  }
}

/** Cluster membership of one member; a single-member cluster by default. */
export interface MemberSpec {
  readonly name: string;
  /** `name=http://127.0.0.1:peerPort,…` for every member. */
  readonly initialCluster: string;
  readonly token: string;
}

/** The command line of one member and its client URL. */
export function buildArgs(
  options: StartEtcdOptions,
  dataDir: string,
  clientPort: number,
  peerPort: number,
  metricsPort: number,
  member?: MemberSpec,
  plainPort?: number,
): { args: string[]; endpoint: string; plainEndpoint?: string } {
  const scheme = options.tls === undefined ? 'http' : 'https';
  const endpoint = `${scheme}://127.0.0.1:${clientPort}`;
  const plainEndpoint = plainPort === undefined ? undefined : `http://127.0.0.1:${plainPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name', member?.name ?? 'n0',
    '--data-dir', dataDir,
    '--listen-client-urls', plainEndpoint === undefined ? endpoint : `${endpoint},${plainEndpoint}`,
    '--advertise-client-urls', endpoint,
    '--listen-peer-urls', peer,
    '--initial-advertise-peer-urls', peer,
    '--initial-cluster', member?.initialCluster ?? `n0=${peer}`,
    '--initial-cluster-state', 'new',
    '--initial-cluster-token', member?.token ?? `test-${clientPort}`,
    '--listen-metrics-urls', `http://127.0.0.1:${metricsPort}`,
    '--experimental-watch-progress-notify-interval', `${options.progressNotifyIntervalMs ?? 1000}ms`,
    '--logger', 'zap',
    '--log-level', 'error',
    '--log-outputs', 'stderr',
  ];
  if (options.heartbeatIntervalMs !== undefined) args.push('--heartbeat-interval', String(options.heartbeatIntervalMs));
  if (options.electionTimeoutMs !== undefined) args.push('--election-timeout', String(options.electionTimeoutMs));
  if (options.quotaBackendBytes !== undefined) args.push('--quota-backend-bytes', String(options.quotaBackendBytes));
  const tls = options.tls;
  if (tls !== undefined) {
    args.push('--cert-file', tls.certFile, '--key-file', tls.keyFile);
    if (tls.trustedCAFile !== undefined) args.push('--trusted-ca-file', tls.trustedCAFile);
    if (tls.clientCertAuth === true) args.push('--client-cert-auth');
  }
  args.push(...(options.extraArgs ?? []));
  return plainEndpoint === undefined ? { args, endpoint } : { args, endpoint, plainEndpoint };
}

/**
 * Spawns `/usr/bin/etcd` on free loopback ports with a temp data dir and waits for `/health`.
 *
 * @example
 * const etcd = await startEtcd({ progressNotifyIntervalMs: 500 });
 * const backend = await etcd3Driver.createBackend(configFor(etcd.endpoint));
 * await etcd.kill(); await etcd.restart(); await etcd.stop();
 */
export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdServer> {
  installExitHook();
  const binary = options.binary ?? process.env['ETCD_BIN'] ?? '/usr/bin/etcd';
  let lastError: unknown;
  // Free ports can be taken between picking and binding; retry the start with new ones.
  for (let attempt = 0; attempt < 3; attempt++) {
    const ownsDataDir = options.dataDir === undefined;
    const dataDir = options.dataDir ?? tempDataDir();
    const [clientPort, peerPort, metricsPort, plainPort] = (await freePorts(4)) as [number, number, number, number];
    const plain = options.tls?.alsoPlaintext === true ? plainPort : undefined;
    const { args, endpoint, plainEndpoint } = buildArgs(options, dataDir, clientPort, peerPort, metricsPort, undefined, plain);
    const server = new EtcdProcess(
      binary, args, endpoint, clientPort, peerPort, metricsPort, dataDir, ownsDataDir, options.startTimeoutMs ?? 20_000, plainEndpoint,
    );
    server.spawn();
    try {
      await server.waitHealthy();
      return server;
    } catch (err) {
      lastError = err;
      const portClash = server.logs().includes('address already in use');
      await server.stop();
      if (!portClash) break;
    }
  }
  throw lastError;
}

/** Resolves once every thread of `pid` shows state T (stopped) in /proc, or after `timeoutMs`. */
async function waitStopped(pid: number, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!allThreadsStopped(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
}

function allThreadsStopped(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).every((task) => {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T';
    });
  } catch {
    return true; // no /proc here, or the process is gone: nothing to wait for
  }
}
