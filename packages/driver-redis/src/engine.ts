import { createHash, randomUUID } from 'node:crypto';
import { closedError } from '@storagebackend/core';
import { Redis, type RedisOptions } from 'ioredis';
import type { RedisEndpoint } from './endpoint.js';
import { StoreEpochError, toBackendError } from './errors.js';
import { KEY_COUNTS, keyspaceKeys, SCRIPTS, type ScriptName } from './lua/index.js';
import type { RedisSettings } from './options.js';

type Arg = string | number | Buffer;

const SHAS = new Map(Object.entries(SCRIPTS).map(([name, lua]) => [name, createHash('sha1').update(lua).digest('hex')]));
const NAMES = Object.keys(SCRIPTS) as ScriptName[];

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
    // Commands issued in one tick share a write. Scripts are sent as plain EVALSHA (not defineCommand, whose
    // auto-pipelined path costs more client time than the script costs Redis).
    enableAutoPipelining: true,
  };
}

/** One connection with the scripts loaded (EVALSHA), the keyspace's key names and its store epoch. */
export class RedisEngine {
  readonly redis: Redis;
  readonly keys: readonly string[];
  readonly settings: RedisSettings;
  readonly endpoint: RedisEndpoint;
  /** Per script: `[sha, numkeys, ...keys]`, the fixed head of its EVALSHA arguments. */
  readonly #heads = new Map<ScriptName, readonly (string | number)[]>();
  #epoch = '';
  #closed = false;

  private constructor(redis: Redis, endpoint: RedisEndpoint, settings: RedisSettings) {
    this.redis = redis;
    this.endpoint = endpoint;
    this.settings = settings;
    this.keys = keyspaceKeys(settings.keyspace);
    for (const name of NAMES) this.#heads.set(name, [SHAS.get(name)!, KEY_COUNTS[name], ...this.keys.slice(0, KEY_COUNTS[name])]);
  }

  static async open(endpoint: RedisEndpoint, settings: RedisSettings): Promise<RedisEngine> {
    const redis = new Redis(clientOptions(endpoint, settings));
    // Errors reach callers through their commands; without a listener ioredis would print each one.
    let lastError: Error | null = null;
    redis.on('error', (err: Error) => (lastError = err));
    const engine = new RedisEngine(redis, endpoint, settings);
    try {
      await redis.connect();
      await engine.#loadScripts();
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
    return this.keys[4]!;
  }

  /**
   * The latest state of one key without a script: one HMGET of the epoch, the revision and the live record, which
   * live in one hash, so the three are read atomically.
   */
  async latest(key: string): Promise<{ revision: number; record: Buffer | null }> {
    if (this.#closed) throw closedError();
    let reply: (Buffer | null)[];
    try {
      reply = await this.redis.hmgetBuffer(this.keys[0]!, 'e', 'r', `k${key}`);
    } catch (err) {
      throw toBackendError(err, 'get');
    }
    if (reply[0] === null || reply[0]!.toString('latin1') !== this.#epoch) throw new StoreEpochError();
    return { revision: Number(reply[1]!.toString('latin1')), record: reply[2] ?? null };
  }

  /**
   * Runs a script (EVALSHA) with this keyspace's keys and epoch; replies come as Buffers (bulk) and numbers
   * (integers). A server that forgot the scripts (restart, failover) gets them again and the call is retried once.
   */
  async call(name: ScriptName, what: string, ...args: Arg[]): Promise<unknown> {
    if (this.#closed) throw closedError();
    const epoch = name === 'sbInit' ? '' : this.#epoch;
    // evalshaBuffer exists at runtime but is missing from ioredis' typings; callBuffer breaks under auto-pipelining.
    const redis = this.redis as unknown as { evalshaBuffer(...args: Arg[]): Promise<unknown> };
    const run = () => redis.evalshaBuffer(...this.#heads.get(name)!, epoch, ...args);
    try {
      try {
        return await run();
      } catch (err) {
        if (!String((err as Error)?.message).startsWith('NOSCRIPT')) throw err;
        await this.#loadScripts();
        return await run();
      }
    } catch (err) {
      throw toBackendError(err, what);
    }
  }

  async #loadScripts(): Promise<void> {
    await Promise.all(Object.values(SCRIPTS).map((lua) => this.redis.script('LOAD', lua)));
  }

  /** A dedicated connection for blocking reads (a blocked connection serves nothing else). */
  duplicate(): Redis {
    const conn = this.redis.duplicate({ maxRetriesPerRequest: 1 });
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
