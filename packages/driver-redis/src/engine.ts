import { randomUUID } from 'node:crypto';
import { closedError } from '@storagebackend/core';
import { Redis, type RedisOptions } from 'ioredis';
import type { RedisEndpoint } from './endpoint.js';
import { toBackendError } from './errors.js';
import { keyspaceKeys, SCRIPTS, type ScriptName } from './lua/index.js';
import type { RedisSettings } from './options.js';

type Arg = string | number | Buffer;
type ScriptFn = (...args: Arg[]) => Promise<unknown>;

/** ioredis options every connection of the driver uses; RESP2 is pinned so reply shapes do not depend on the default. */
export function clientOptions(endpoint: RedisEndpoint, settings: RedisSettings): RedisOptions {
  return {
    ...endpoint.options,
    protocol: 2,
    lazyConnect: true,
    connectTimeout: settings.connectTimeoutMs,
    // Fail a command after a few reconnect attempts instead of queueing it for ever (bounded Unreachable).
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 2_000),
    enableAutoPipelining: true,
  };
}

/** One connection with the scripts loaded (EVALSHA), the keyspace's key names and its store epoch. */
export class RedisEngine {
  readonly redis: Redis;
  readonly keys: readonly string[];
  readonly settings: RedisSettings;
  readonly endpoint: RedisEndpoint;
  #epoch = '';
  #closed = false;

  private constructor(redis: Redis, endpoint: RedisEndpoint, settings: RedisSettings) {
    this.redis = redis;
    this.endpoint = endpoint;
    this.settings = settings;
    this.keys = keyspaceKeys(settings.keyspace);
  }

  static async open(endpoint: RedisEndpoint, settings: RedisSettings): Promise<RedisEngine> {
    const redis = new Redis(clientOptions(endpoint, settings));
    // Errors reach callers through their commands; without a listener ioredis would print each one.
    let lastError: Error | null = null;
    redis.on('error', (err: Error) => (lastError = err));
    for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 12, lua });
    const engine = new RedisEngine(redis, endpoint, settings);
    try {
      await redis.connect();
      const epoch = await engine.call('sbInit', `connect to ${endpoint.display}`, randomUUID());
      engine.#epoch = String(epoch);
    } catch (err) {
      redis.disconnect();
      // "Connection is closed" hides why (NOAUTH, WRONGPASS, refused): say what the connection last reported.
      const reason = lastError as Error | null;
      const detail = reason && reason.message !== (err as Error)?.message ? ` (${reason.message})` : '';
      throw toBackendError(Object.assign(new Error(`${(err as Error)?.message ?? String(err)}${detail}`), { cause: err }), `connect to ${endpoint.display}`);
    }
    return engine;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get logKey(): string {
    return this.keys[7]!;
  }

  /** Runs a script with this keyspace's keys and epoch; replies come as Buffers (bulk) and numbers (integers). */
  async call(name: ScriptName, what: string, ...args: Arg[]): Promise<unknown> {
    if (this.#closed) throw closedError();
    const fn = (this.redis as unknown as Record<string, ScriptFn>)[`${name}Buffer`]!;
    try {
      return await fn.call(this.redis, ...this.keys, name === 'sbInit' ? '' : this.#epoch, ...args);
    } catch (err) {
      throw toBackendError(err, what);
    }
  }

  /** A dedicated connection for blocking reads (a blocked connection serves nothing else). */
  duplicate(): Redis {
    const conn = this.redis.duplicate({ enableAutoPipelining: false, maxRetriesPerRequest: 1 });
    conn.on('error', () => undefined);
    return conn;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
