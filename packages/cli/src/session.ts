import {
  create,
  defaultRegistry,
  forResource,
  loadConfig,
  redactUrl,
  type Backend,
  type Config,
  type StorageObject,
  type Store,
} from '@storagebackend/core';
import { UsageError } from './usage-error.js';

/** With no `--backend`, `--config` or `STORAGECTL_BACKEND`: an embedded SQLite file in the working directory. */
export const DEFAULT_BACKEND = 'sqlite:./storagectl.db';

export interface GlobalOptions {
  readonly backend?: string;
  readonly config?: string;
  readonly prefix?: string;
  readonly requestTimeout?: string;
  readonly debug?: boolean;
}

/** `500ms`, `10s`, `2m`, `1h` or bare seconds; `0` means no limit (kubectl's `--request-timeout`). */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`invalid ${flag} ${JSON.stringify(text)}: expected a duration such as 500ms, 10s or 2m`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000;
  return Math.round(Number(match[1]) * factor);
}

/**
 * The config every command runs with: `core`'s loader (defaults < `--config`/`STORAGECTL_CONFIG` < `STORAGECTL_*`
 * < `--backend` < `--prefix`), and no compactor, since a command-line call must not start periodic compaction.
 */
export function cliConfig(opts: GlobalOptions): Promise<Config> {
  return loadConfig({
    url: opts.backend,
    urlField: '--backend',
    file: opts.config,
    defaultUrl: DEFAULT_BACKEND,
    overrides: { compactionIntervalMs: 0, ...(opts.prefix === undefined ? {} : { prefix: opts.prefix }) },
  });
}

/** How output and messages show the backend: a URL-like form with any password replaced. */
export function describeBackend(config: Config): string {
  const list = config.transport.serverList;
  if (config.type === 'sqlite') return `sqlite:${list[0] ?? ''}`;
  if (config.type === 'memory') return list[0]?.startsWith('private:') ? 'memory: (private)' : `memory:${list[0] ?? ''}`;
  return list.map(redactUrl).join(',');
}

/** The backend path of the prefix: `/registry` → `/registry/` (`path.Join("/", prefix) + "/"`). */
export function prefixPath(prefix: string): string {
  const parts = prefix.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) {
    throw new UsageError(`prefix ${JSON.stringify(prefix)}: storagectl needs a prefix below the root, e.g. /registry`);
  }
  return `/${parts.join('/')}/`;
}

/**
 * One open backend for a command. Keys are addressed relative to the prefix (`/pods/default/web-0`); the store is
 * rooted at the prefix itself, so one store reaches every resource and the whole prefix with full storage semantics.
 */
export class Session {
  readonly #opened: { storage: Store<StorageObject>; destroy: () => Promise<void> };
  #backend: Promise<Backend> | undefined;

  private constructor(
    readonly config: Config,
    readonly root: string,
    readonly timeoutMs: number,
    opened: { storage: Store<StorageObject>; destroy: () => Promise<void> },
  ) {
    this.#opened = opened;
  }

  static async open(config: Config, timeoutMs: number): Promise<Session> {
    const root = prefixPath(config.prefix);
    const opened = await create<StorageObject>(
      forResource({ ...config, prefix: '/' }, { group: '', resource: 'storagectl' }, root),
    );
    return new Session(config, root, timeoutMs, opened);
  }

  get store(): Store<StorageObject> {
    return this.#opened.storage;
  }

  /** The store key of a prefix-relative key: `/pods/default/web-0` → `/registry/pods/default/web-0`. */
  key(relative: string): string {
    return this.root + relative.replace(/^\/+/, '');
  }

  /** A signal for one request: aborts after `--request-timeout` (none with 0). */
  signal(): AbortSignal | undefined {
    return this.timeoutMs > 0 ? AbortSignal.timeout(this.timeoutMs) : undefined;
  }

  /** The raw backend, for status and compaction. */
  backend(): Promise<Backend> {
    return (this.#backend ??= defaultRegistry.createBackend(
      forResource({ ...this.config, prefix: '/' }, { group: '', resource: 'storagectl' }, this.root),
    ));
  }

  async close(): Promise<void> {
    const backend = this.#backend;
    this.#backend = undefined;
    if (backend) await backend.then((b) => b.close(), () => undefined);
    await this.#opened.destroy();
  }
}
