import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  forResource,
  newDefaultConfig,
  type BackendWatchEvent,
  type BackendWatchResponse,
  type ConfigForResource,
} from '@storagebackend/core';
import { createSqliteDriver, type SqliteBackend, type SqliteDriver, type SqliteDriverOptions } from '../src/index.js';

export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
export const dec = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

export function sqliteConfig(path: string, driverOptions?: Record<string, unknown>): ConfigForResource {
  const base = newDefaultConfig('/registry');
  const config = {
    ...base,
    type: 'sqlite',
    transport: { ...base.transport, serverList: [path] },
    ...(driverOptions ? { driverOptions } : {}),
  };
  return forResource(config, { group: '', resource: 'pods' });
}

/** A temp directory removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sqlite-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Opened {
  readonly backend: SqliteBackend;
  readonly driver: SqliteDriver;
  readonly path: string;
  reopen(): Promise<SqliteBackend>;
  close(): Promise<void>;
}

/** A backend on a fresh file in a temp dir; close() also deletes the dir. */
export async function openTemp(options: SqliteDriverOptions = {}, driverOptions?: Record<string, unknown>): Promise<Opened> {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'state.db');
  const driver = createSqliteDriver(options);
  const backends: SqliteBackend[] = [];
  const make = async (): Promise<SqliteBackend> => {
    const b = await driver.createBackend(sqliteConfig(path, driverOptions));
    backends.push(b);
    return b;
  };
  const backend = await make();
  return {
    backend,
    driver,
    path,
    reopen: make,
    async close() {
      for (const b of backends) await b.close();
      cleanup();
    },
  };
}

/** Reads responses until `count` events arrived (or fails after timeoutMs). */
export async function takeEvents(
  iterator: AsyncIterator<BackendWatchResponse>,
  count: number,
  timeoutMs = 5000,
): Promise<{ events: BackendWatchEvent[]; responses: BackendWatchResponse[] }> {
  const events: BackendWatchEvent[] = [];
  const responses: BackendWatchResponse[] = [];
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`timed out with ${events.length}/${count} events`);
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out with ${events.length}/${count} events`)), remaining);
      }),
    ]).finally(() => clearTimeout(timer));
    if (next.done) throw new Error(`watch ended after ${events.length}/${count} events`);
    responses.push(next.value);
    events.push(...next.value.events);
  }
  return { events, responses };
}

/** Wraps a watch iterator so a timed-out wait keeps its pending next() for the following call. */
export class Reader {
  readonly #iterator: AsyncIterator<BackendWatchResponse>;
  #pending: Promise<IteratorResult<BackendWatchResponse>> | null = null;

  constructor(iterable: AsyncIterable<BackendWatchResponse>) {
    this.#iterator = iterable[Symbol.asyncIterator]();
  }

  /** The next response, or 'timeout' if none arrives within ms. */
  async within(ms: number): Promise<IteratorResult<BackendWatchResponse> | 'timeout'> {
    this.#pending ??= this.#iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      this.#pending,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), ms);
      }),
    ]).finally(() => clearTimeout(timer));
    if (result !== 'timeout') this.#pending = null;
    return result;
  }

  /** Reads responses until `count` events arrived. */
  async events(count: number, timeoutMs = 5000): Promise<BackendWatchEvent[]> {
    const events: BackendWatchEvent[] = [];
    const deadline = Date.now() + timeoutMs;
    while (events.length < count) {
      const result = await this.within(Math.max(1, deadline - Date.now()));
      if (result === 'timeout') throw new Error(`timed out with ${events.length}/${count} events`);
      if (result.done) throw new Error(`watch ended after ${events.length}/${count} events`);
      events.push(...result.value.events);
    }
    return events;
  }

  async return(): Promise<void> {
    await this.#iterator.return?.();
  }
}
