import {
  forResource,
  newDefaultConfig,
  type BackendWatchResponse,
  type ConfigForResource,
  type TransportConfig,
} from '@storagebackend/core';
import { Etcd3Backend } from '../src/backend.js';
import { etcd3Driver } from '../src/driver.js';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

export function configFor(
  endpoint: string | readonly string[],
  overrides: { transport?: Partial<TransportConfig>; driverOptions?: Record<string, unknown> } = {},
): ConfigForResource {
  const base = newDefaultConfig('/registry');
  return forResource(
    {
      ...base,
      type: 'etcd3',
      transport: {
        ...base.transport,
        serverList: typeof endpoint === 'string' ? [endpoint] : [...endpoint],
        ...overrides.transport,
      },
      ...(overrides.driverOptions === undefined ? {} : { driverOptions: overrides.driverOptions }),
    },
    { group: '', resource: 'pods' },
  );
}

export async function backendFor(endpoint: string | readonly string[], driverOptions?: Record<string, unknown>): Promise<Etcd3Backend> {
  const backend = await etcd3Driver.createBackend(configFor(endpoint, driverOptions === undefined ? {} : { driverOptions }));
  return backend as Etcd3Backend;
}

/**
 * Reads a watch with timeouts without losing responses: a read that timed out stays pending and is
 * picked up by the next read.
 */
/** The store's current revision (a read of any key reports it). */
export async function currentRevision(backend: Etcd3Backend): Promise<number> {
  return (await backend.get('/registry/x')).revision;
}

export class WatchReader {
  private pending: Promise<IteratorResult<BackendWatchResponse>> | undefined;
  readonly iterator: AsyncIterator<BackendWatchResponse>;

  constructor(iterable: AsyncIterable<BackendWatchResponse>) {
    this.iterator = iterable[Symbol.asyncIterator]();
  }

  /** The next response, or `undefined` after `timeoutMs`; rejects with the watch's error; throws if it ended. */
  async next(timeoutMs = 5_000): Promise<BackendWatchResponse | undefined> {
    const result = await this.nextResult(timeoutMs);
    if (result === undefined) return undefined;
    if (result.done) throw new Error('watch ended');
    return result.value;
  }

  /** The next raw iterator result, or `undefined` after `timeoutMs`. */
  async nextResult(timeoutMs = 5_000): Promise<IteratorResult<BackendWatchResponse> | undefined> {
    const pending = (this.pending ??= this.iterator.next());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      const result = await Promise.race([pending, timeout]);
      if (result !== undefined) this.pending = undefined;
      return result;
    } catch (err) {
      this.pending = undefined;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The next response that carries events (progress notifications are skipped). */
  async nextEvents(timeoutMs = 5_000): Promise<BackendWatchResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.next(Math.max(1, deadline - Date.now()));
      if (res === undefined) throw new Error(`no events within ${timeoutMs} ms`);
      if (res.events.length > 0) return res;
    }
  }

  /** The next progress notification, or fails if events come first or nothing comes in time. */
  async nextProgress(timeoutMs = 5_000): Promise<BackendWatchResponse> {
    const res = await this.next(timeoutMs);
    if (res === undefined) throw new Error(`no progress within ${timeoutMs} ms`);
    if (res.progressNotify !== true || res.events.length > 0) throw new Error(`expected progress, got ${JSON.stringify(res)}`);
    return res;
  }

  /** Collects event responses until `count` events arrived. */
  async collect(count: number, timeoutMs = 5_000): Promise<BackendWatchResponse[]> {
    const out: BackendWatchResponse[] = [];
    let seen = 0;
    const deadline = Date.now() + timeoutMs;
    while (seen < count) {
      const res = await this.nextEvents(Math.max(1, deadline - Date.now()));
      out.push(res);
      seen += res.events.length;
    }
    return out;
  }

  /** The first event response within `ms`, or undefined when only progress (or nothing) came. */
  async eventsWithin(ms: number): Promise<BackendWatchResponse | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      const res = await this.next(left);
      if (res === undefined) return undefined;
      if (res.events.length > 0) return res;
    }
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

/** What `run` gave and how long it took. */
export async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await run();
  return { result, ms: Date.now() - started };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
