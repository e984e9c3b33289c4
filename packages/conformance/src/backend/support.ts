import { randomUUID } from 'node:crypto';
import { expect, type TestContext } from 'vitest';
import type { Backend, BackendCapabilities, BackendErrorCode, KeyValue } from '@storagebackend/core';
import type { ConformanceTarget } from '../target.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const bytes = (text: string): Uint8Array => encoder.encode(text);
export const text = (value: Uint8Array): string => decoder.decode(value);

/** A key prefix no other test uses, under `/registry/` so drivers that scope keys by config prefix accept it. */
export function uniquePrefix(label = 'kit'): string {
  return `/registry/conformance-${label}-${randomUUID().slice(0, 8)}/`;
}

/**
 * A fresh backend for this test, closed when the test finishes; skips the test when the backend lacks `needs`.
 * Skipping is decided by the backend's own capability manifest, never by the caller.
 */
export async function openBackend(
  target: ConformanceTarget,
  ctx: TestContext,
  needs?: keyof BackendCapabilities,
): Promise<Backend> {
  const backend = await target.createBackend();
  if (needs !== undefined && !backend.capabilities[needs]) {
    // onTestFinished does not run after ctx.skip(), so close first.
    await backend.close();
    ctx.skip(`backend does not declare capabilities.${needs}`);
  }
  ctx.onTestFinished(() => backend.close());
  return backend;
}

export async function currentRevision(backend: Backend): Promise<number> {
  return (await backend.status()).revision;
}

interface CodedError {
  readonly code?: unknown;
  readonly compactRevision?: unknown;
}

/** Awaits `promise`, requiring it to reject with a BackendError of `code`; returns the error. */
export async function expectBackendError(
  promise: Promise<unknown>,
  code: BackendErrorCode,
  what = 'the call',
): Promise<Error & CodedError> {
  let caught: unknown;
  let resolved: unknown;
  try {
    resolved = await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, `${what} should reject with BackendError ${code}, resolved ${JSON.stringify(resolved)}`).toBeDefined();
  // Compare by shape: a driver may bundle its own copy of @storagebackend/core, defeating instanceof.
  expect(caught, `${what} should reject with an Error`).toBeInstanceOf(Error);
  const err = caught as Error & CodedError;
  expect(err.name, `${what}: ${err.message}`).toBe('BackendError');
  expect(err.code, `${what}: ${err.message}`).toBe(code);
  return err;
}

/** Writes `value` to `key` unconditionally (reading the current mod revision first); returns the new revision. */
export async function put(backend: Backend, key: string, value: string, leaseId?: string): Promise<number> {
  const { kv } = await backend.get(key);
  const options = leaseId === undefined ? {} : { leaseId };
  const result = await backend.optimisticPut(key, bytes(value), kv?.modRevision ?? 0, options);
  expect(result.succeeded, `put ${key}`).toBe(true);
  return result.revision;
}

/** Deletes `key`, which must exist; returns the delete's revision. */
export async function remove(backend: Backend, key: string): Promise<number> {
  const { kv } = await backend.get(key);
  expect(kv, `${key} should exist before deleting it`).not.toBeNull();
  const result = await backend.optimisticDelete(key, kv!.modRevision);
  expect(result.succeeded, `delete ${key}`).toBe(true);
  return result.revision;
}

/** The parts of a KeyValue a test compares, value decoded as UTF-8. */
export function summary(kv: KeyValue | null): Record<string, unknown> | null {
  if (kv === null) return null;
  return {
    key: kv.key,
    value: text(kv.value),
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
    version: kv.version,
    lease: kv.lease,
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
