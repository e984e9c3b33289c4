import { Buffer } from 'node:buffer';
import type { Backend, BackendCapabilities, Watch, WatchEvent } from '@storagebackend/core';
import { expect, type TestContext } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { createStorageTestContext, type StorageTestContext, type StorageTestContextOptions } from './context.js';
import type { Pod } from './fixtures.js';

/** `math.MaxInt64` as a resourceVersion: always ahead of any backend. */
export const MAX_INT64_RV = '9223372036854775807';

/** A fresh store for one test, closed when the test finishes. */
export async function openStore(
  test: TestContext,
  target: ConformanceTarget,
  options?: StorageTestContextOptions,
): Promise<StorageTestContext> {
  const ctx = await createStorageTestContext(target, options);
  test.onTestFinished(() => ctx.close());
  return ctx;
}

/** Skips the running test unless the backend declares `capability` in its manifest. */
export function requireCapability(test: TestContext, backend: Backend, capability: keyof BackendCapabilities): void {
  test.skip(!backend.capabilities[capability], `backend does not declare capabilities.${capability}`);
}

export function rvOf(obj: Pod): string {
  const rv = obj.metadata.resourceVersion;
  if (rv === undefined || rv === '') throw new Error(`object ${obj.metadata.name} has no resourceVersion`);
  return rv;
}

export function rvNum(obj: Pod): number {
  return Number(rvOf(obj));
}

/** The backend's current revision (a read, which never bumps it). */
export async function currentRevision(ctx: StorageTestContext): Promise<number> {
  return (await ctx.backend.get(ctx.backendKey('/pods/'))).revision;
}

const decoder = new TextDecoder();

/**
 * Kubernetes' KeyValidation hook: the raw stored value carries the suite transformer's `test!` prefix and, once
 * stripped, decodes to JSON without `resourceVersion` or `selfLink`. Returns the decoded stored object.
 */
export async function expectStoredCleanly(ctx: StorageTestContext, key: string): Promise<Pod> {
  const kv = await ctx.rawGet(key);
  expect(kv, `a value stored at ${key}`).not.toBeNull();
  const text = decoder.decode(kv?.value);
  expect(text.startsWith('test!'), `stored value starts with the transformer prefix: ${text}`).toBe(true);
  const stored = JSON.parse(text.slice('test!'.length)) as Pod;
  expect(stored.metadata.resourceVersion, 'resourceVersion is never stored').toBeUndefined();
  expect(stored.metadata.selfLink, 'selfLink is never stored').toBeUndefined();
  return stored;
}

/** Awaits `promise`, which must fail, and returns what it threw. */
export async function captureError(promise: Promise<unknown>): Promise<Error> {
  let result: unknown;
  try {
    result = await promise;
  } catch (err) {
    expect(err, 'a thrown value should be an Error').toBeInstanceOf(Error);
    return err as Error;
  }
  throw new Error(`expected the call to fail, but it returned ${JSON.stringify(result)}`);
}

/** Go's encoding/json string escaping: JSON plus `<`, `>`, `&`, U+2028 and U+2029 as \u escapes. */
function goJsonString(value: string): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The Kubernetes continue token for `start` (relative to the list prefix) at `resourceVersion`: unpadded URL-safe
 * base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":"..."}`, fields in that order.
 */
export function encodeContinueToken(start: string, resourceVersion: number): string {
  const json = `{"v":"meta.k8s.io/v1","rv":${resourceVersion},"start":${goJsonString(start)}}`;
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** The JSON inside a continue token, or the raw token when it is not decodable (for failure messages). */
export function describeContinueToken(token: string | undefined): string {
  if (token === undefined) return '(none)';
  return Buffer.from(token, 'base64url').toString('utf8');
}

/** Asserts byte equality of continue tokens, showing the decoded JSON on mismatch. */
export function expectContinueToken(got: string | undefined, expected: string): void {
  if (got === expected) return;
  expect.fail(`continue token: expected ${describeContinueToken(expected)}, got ${describeContinueToken(got)}`);
}

/** The next watch event accepted by `accept`, failing after `timeoutMs` with the events seen so far. */
export async function waitForEvent<T>(
  watch: Watch<T>,
  accept: (event: WatchEvent<T>) => boolean,
  timeoutMs: number,
): Promise<WatchEvent<T>> {
  const iterator = watch[Symbol.asyncIterator]();
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, remaining));
    });
    const next = await Promise.race([iterator.next(), timeout]).finally(() => clearTimeout(timer));
    if (next === 'timeout') {
      watch.stop();
      throw new Error(`no matching watch event within ${timeoutMs}ms; saw [${seen.join(', ')}]`);
    }
    if (next.done) throw new Error(`watch ended without a matching event; saw [${seen.join(', ')}]`);
    if (accept(next.value)) return next.value;
    seen.push(next.value.type);
  }
}

/** Counts of backend method calls, by method name. */
export interface BackendCallCounter {
  count(method: keyof Backend): number;
  reset(): void;
}

/**
 * Wraps a target so every backend it creates counts its method calls (the kit's stand-in for Kubernetes' etcd
 * KV recorder); one counter covers all backends of the wrapped target.
 */
export function countingTarget(target: ConformanceTarget): { target: ConformanceTarget; counter: BackendCallCounter } {
  const calls = new Map<PropertyKey, number>();
  const counter: BackendCallCounter = {
    count: (method) => calls.get(method) ?? 0,
    reset: () => calls.clear(),
  };
  const wrap = (backend: Backend): Backend =>
    new Proxy(backend, {
      get(obj, prop) {
        const value: unknown = Reflect.get(obj, prop, obj);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.set(prop, (calls.get(prop) ?? 0) + 1);
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  return {
    target: { ...target, createBackend: async () => wrap(await target.createBackend()) },
    counter,
  };
}

/** Runs `fn` over `items` with at most `concurrency` in flight (seeding many objects quickly over a network). */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Go's `StorageError.Error()` text for a key, which is the full backend key as in Kubernetes' etcd3 store. */
export function storageErrorText(code: number, message: string, backendKey: string, additional = ''): string {
  return `StorageError: ${message}, Code: ${code}, Key: ${backendKey}, ResourceVersion: 0, AdditionalErrorMsg: ${additional}`;
}

/** The 400 BadRequest text of an unparsable resourceVersion (`strconv.ParseUint` wrapped in a field error). */
export function invalidResourceVersionText(resourceVersion: string, reason = 'invalid syntax'): string {
  const quoted = JSON.stringify(resourceVersion);
  return (
    `invalid resource version: resourceVersion: Invalid value: ${quoted}: ` +
    `strconv.ParseUint: parsing ${quoted}: ${reason}`
  );
}
