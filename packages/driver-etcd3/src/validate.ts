import { BackendError } from '@storagebackend/core';

function invalid(message: string): BackendError {
  return new BackendError('InvalidArgument', message);
}

export function checkKey(key: unknown, what = 'key'): string {
  if (typeof key !== 'string' || key === '') throw invalid(`${what} must be a non-empty string`);
  return key;
}

export function checkRevision(value: unknown, what: string, min = 0): number {
  const revision = value ?? 0;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < min) {
    throw invalid(`${what} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return revision;
}

export function checkLeaseId(id: unknown): string {
  if (typeof id !== 'string' || !/^-?\d{1,20}$/.test(id)) throw invalid(`lease id must be a decimal string, got ${String(id)}`);
  return id;
}

/** etcd's limit for a lease TTL (`lease.MaxLeaseTTL`). */
const MAX_LEASE_TTL_SECONDS = 9_000_000_000;

export function checkTtl(ttlSeconds: unknown): number {
  if (typeof ttlSeconds !== 'number' || !Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_LEASE_TTL_SECONDS) {
    throw invalid(`lease TTL must be an integer number of seconds in [1, ${MAX_LEASE_TTL_SECONDS}], got ${String(ttlSeconds)}`);
  }
  return ttlSeconds;
}

export function checkValue(value: unknown): Buffer {
  if (!(value instanceof Uint8Array)) throw invalid('value must be a Uint8Array');
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
