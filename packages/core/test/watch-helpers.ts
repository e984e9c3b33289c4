import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryBackend } from '../../driver-memory/src/index.js';
import { createStore, type StoreOptions } from '../src/index.js';
import type { Watch, WatchEvent } from '../src/storage/watch.js';

/** A Store over the in-process memory driver (core cannot depend on the package; its source is imported directly). */
export function memoryStore(options: Partial<StoreOptions> = {}) {
  const backend = options.backend ?? new MemoryBackend();
  return { backend, store: createStore({ prefix: '/registry', resourcePrefix: '/pods/', ...options, backend }) };
}

export const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: 'ns' },
  ...extra,
});

/** How long a next() may stay unsettled before a test calls it pending. */
const PENDING_MS = 200;

/** The settled result of `promise`, or 'pending' if it has not settled within PENDING_MS. */
export function within<T>(promise: Promise<T>, ms = PENDING_MS): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);
}

/** A next() outcome in one comparable value: 'pending', 'done', or [event type, object name]. */
export async function outcome<T extends { metadata?: { name?: string } }>(
  next: Promise<IteratorResult<WatchEvent<T>>>,
  ms = 2_000,
): Promise<'pending' | 'done' | [string, string | undefined]> {
  const result = await within(next, ms);
  if (result === 'pending' || result.done) return result === 'pending' ? result : 'done';
  const event = result.value;
  return [event.type, event.type === 'ERROR' ? event.object.message : event.object.metadata?.name];
}

/** Reads events until the watch ends. */
export async function drain<T>(w: Watch<T>): Promise<WatchEvent<T>[]> {
  const out: WatchEvent<T>[] = [];
  for await (const event of w) out.push(event);
  return out;
}

// --expose-gc without a special worker: V8 accepts the flag at run time and exposes gc() to new contexts.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Whether the target of `ref` is garbage once the current job has ended and a full collection ran. */
export async function collected(ref: WeakRef<object>): Promise<boolean> {
  // WeakRef targets touched in this job stay alive until it ends; a macrotask boundary ends it.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
  return ref.deref() === undefined;
}
