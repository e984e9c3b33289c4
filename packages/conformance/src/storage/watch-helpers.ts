import { expect } from 'vitest';
import type { Status, Watch, WatchEvent, WatchEventType, WatchOptions } from '@storagebackend/core';
import type { ConformanceTarget } from '../target.js';
import { createStorageTestContext, type StorageTestContext } from './context.js';
import { clone, podKey, type Pod } from './fixtures.js';

/** How long a watch test waits for an event that must come (Kubernetes uses 30s; a healthy backend needs ms). */
export const WATCH_EVENT_TIMEOUT_MS = 10_000;
/** Quiet window after which "no further events" is accepted (Kubernetes `TestCheckNoMoreResults` uses 100ms). */
export const WATCH_QUIET_MS = 200;
/** Per-test timeout the watch suites register, independent of the caller's vitest defaults. */
export const WATCH_TEST_TIMEOUT_MS = 30_000;

/** Annotation marking the bookmark that ends the initial events of a watch-list (metav1.InitialEventsAnnotationKey). */
export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

const TIMED_OUT: unique symbol = Symbol('timed out');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describeEvent(event: WatchEvent<Pod>): string {
  return `${event.type} ${JSON.stringify(event.object)}`;
}

export type NextResult<T> = { readonly event: WatchEvent<T> } | { readonly done: true } | { readonly timedOut: true };

/**
 * Reads one watch with timeouts. A timed-out `next()` stays pending and is reused by the following read, so no
 * event is lost or read twice (the async-iterator equivalent of selecting on `ResultChan()`).
 */
export class WatchReader {
  readonly watch: Watch<Pod>;
  readonly #iterator: AsyncIterator<WatchEvent<Pod>>;
  #pending: Promise<IteratorResult<WatchEvent<Pod>>> | undefined;
  #done = false;

  constructor(watch: Watch<Pod>) {
    this.watch = watch;
    this.#iterator = watch[Symbol.asyncIterator]();
  }

  async next(timeoutMs = WATCH_EVENT_TIMEOUT_MS): Promise<NextResult<Pod>> {
    if (this.#done) return { done: true };
    this.#pending ??= this.#iterator.next();
    const result = await withTimeout(this.#pending, timeoutMs);
    if (result === TIMED_OUT) return { timedOut: true };
    this.#pending = undefined;
    if (result.done) {
      this.#done = true;
      return { done: true };
    }
    return { event: result.value };
  }

  /** The next event; fails if the watch ends or stays silent for `timeoutMs`. */
  async nextEvent(timeoutMs = WATCH_EVENT_TIMEOUT_MS): Promise<WatchEvent<Pod>> {
    const result = await this.next(timeoutMs);
    if ('event' in result) return result.event;
    if ('done' in result) throw new Error('watch ended before the expected event');
    throw new Error(`no watch event within ${timeoutMs}ms`);
  }

  /** Kubernetes `testCheckResult`: the next event has this type and deep-equals `object`. */
  async expectEvent(type: WatchEventType, object: Pod | Status, timeoutMs?: number): Promise<void> {
    const event = await this.nextEvent(timeoutMs);
    expect(event, `expected ${type} ${JSON.stringify(object)}`).toEqual({ type, object });
  }

  /** Kubernetes `TestCheckResultsInStrictOrder`. */
  async expectEvents(events: readonly { type: WatchEventType; object: Pod }[]): Promise<void> {
    for (const { type, object } of events) await this.expectEvent(type, object);
  }

  /** The next event is an ERROR; returns its Status. */
  async expectError(timeoutMs?: number): Promise<Status> {
    const event = await this.nextEvent(timeoutMs);
    if (event.type !== 'ERROR') throw new Error(`expected an ERROR event, got ${describeEvent(event)}`);
    return event.object;
  }

  /** Kubernetes `TestCheckNoMoreResultsWithIgnoreFunc`: nothing but ignored events (and no end) for `quietMs`. */
  async expectNoEvent(quietMs = WATCH_QUIET_MS, ignore: (e: WatchEvent<Pod>) => boolean = () => false): Promise<void> {
    const deadline = Date.now() + quietMs;
    for (let left = quietMs; left > 0; left = deadline - Date.now()) {
      const result = await this.next(left);
      if ('timedOut' in result) return;
      if ('done' in result) throw new Error('watch ended unexpectedly');
      if (!ignore(result.event)) throw new Error(`unexpected watch event ${describeEvent(result.event)}`);
    }
  }

  /** Kubernetes `testCheckStop`: the iteration ends, without further events, within `timeoutMs`. */
  async expectEnd(timeoutMs = WATCH_EVENT_TIMEOUT_MS): Promise<void> {
    const result = await this.next(timeoutMs);
    if ('event' in result) throw new Error(`expected the watch to end, got ${describeEvent(result.event)}`);
    if ('timedOut' in result) throw new Error(`watch did not end within ${timeoutMs}ms`);
  }

  /** Every event until the iteration ends; fails if it does not end within `timeoutMs`. */
  async drain(timeoutMs = WATCH_EVENT_TIMEOUT_MS): Promise<WatchEvent<Pod>[]> {
    const deadline = Date.now() + timeoutMs;
    const events: WatchEvent<Pod>[] = [];
    for (;;) {
      const result = await this.next(Math.max(1, deadline - Date.now()));
      if ('done' in result) return events;
      if ('timedOut' in result) throw new Error(`watch did not end within ${timeoutMs}ms (${events.length} events)`);
      events.push(result.event);
    }
  }

  stop(): void {
    this.watch.stop();
  }
}

/** A storage context whose watches are all stopped when the test ends. */
export interface WatchTestContext extends StorageTestContext {
  /** `store.watch` wrapped in a reader that the context stops on close. */
  watch(key: string, options?: WatchOptions<Pod>): Promise<WatchReader>;
  /** Creates or replaces `obj` at its key (GuaranteedUpdate with ignoreNotFound, as Kubernetes' tests do). */
  upsert(obj: Pod, key?: string): Promise<Pod>;
}

/** Runs `fn` against a fresh store over a fresh backend, then stops its watches and closes it. */
export async function withWatchContext<R>(
  target: ConformanceTarget,
  fn: (ctx: WatchTestContext) => Promise<R>,
): Promise<R> {
  const base = await createStorageTestContext(target);
  const readers: WatchReader[] = [];
  const ctx: WatchTestContext = {
    ...base,
    async watch(key, options) {
      const reader = new WatchReader(await base.store.watch(key, options));
      readers.push(reader);
      return reader;
    },
    upsert(obj, key = podKey(obj)) {
      return base.store.guaranteedUpdate(key, { ignoreNotFound: true, tryUpdate: () => clone(obj) });
    },
  };
  try {
    return await fn(ctx);
  } finally {
    for (const reader of readers) reader.stop();
    await base.close();
  }
}

/** The resource version of an object or event object as a number (NaN when missing). */
export function rvOf(obj: { metadata?: { resourceVersion?: string } }): number {
  return Number(obj.metadata?.resourceVersion ?? NaN);
}

/** `obj` with its resource version replaced (Kubernetes' "old object, new RV" of a filtered-out DELETED event). */
export function withRV(obj: Pod, resourceVersion: string | undefined): Pod {
  const copy = clone(obj);
  copy.metadata.resourceVersion = resourceVersion;
  return copy;
}

/** A SelectionPredicate attribute function exposing `spec.nodeName` ('' when unset) besides name and namespace. */
export function nodeNameAttrs(namespaced: boolean) {
  return (p: Pod) => ({
    labels: {},
    fields: {
      'spec.nodeName': p.spec?.nodeName ?? '',
      'metadata.name': p.metadata.name ?? '',
      ...(namespaced ? { 'metadata.namespace': p.metadata.namespace ?? '' } : {}),
    },
  });
}
