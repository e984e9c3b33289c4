import { expect } from 'vitest';
import { newDefaultConfig, type BackendErrorCode, type BackendWatchResponse, type ConfigForResource } from '@storagebackend/core';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const bytes = (text: string): Uint8Array => encoder.encode(text);
export const text = (value: Uint8Array): string => decoder.decode(value);

/** A memory config naming store `name`, with optional driverOptions. */
export function memoryConfig(name: string | null, driverOptions?: Record<string, unknown>): ConfigForResource {
  const base = newDefaultConfig('/registry');
  return {
    ...base,
    type: 'memory',
    transport: { ...base.transport, serverList: name === null ? [] : [name] },
    groupResource: { group: '', resource: 'pods' },
    ...(driverOptions === undefined ? {} : { driverOptions }),
  };
}

/** Requires `promise` to reject with a BackendError of `code`; returns it. */
export async function expectCode(promise: Promise<unknown>, code: BackendErrorCode) {
  const err = await promise.then(
    (value) => {
      throw new Error(`expected BackendError ${code}, resolved ${JSON.stringify(value)}`);
    },
    (e: unknown) => e as Error & { code?: string; compactRevision?: number; currentRevision?: number },
  );
  expect(err.name, err.message).toBe('BackendError');
  expect(err.code, err.message).toBe(code);
  return err;
}

const unresolved = new WeakMap<object, Promise<IteratorResult<BackendWatchResponse>>>();

/**
 * The iterator's next result, or 'pending' if none arrives within a few macrotasks; a next() left pending is
 * reused by the following call, so no response is lost between calls.
 */
export async function nextOrPending(
  iterator: AsyncIterator<BackendWatchResponse>,
): Promise<IteratorResult<BackendWatchResponse> | 'pending'> {
  const next = unresolved.get(iterator) ?? iterator.next();
  unresolved.set(iterator, next);
  const outcome = await Promise.race([next, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 20))]);
  if (outcome !== 'pending') unresolved.delete(iterator);
  return outcome;
}

/** Reads `n` responses from the iterator. */
export async function take(iterator: AsyncIterator<BackendWatchResponse>, n: number): Promise<BackendWatchResponse[]> {
  const out: BackendWatchResponse[] = [];
  while (out.length < n) {
    const result = await iterator.next();
    if (result.done) throw new Error(`watch ended after ${out.length} of ${n} responses`);
    out.push(result.value);
  }
  return out;
}
