import { BackendError } from '@storagebackend/core';
import { hasHighCodeUnit } from './sort-key.js';

export function invalidArgument(message: string): BackendError {
  return new BackendError('InvalidArgument', message);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// etcd's limit on a lease TTL (MaxLeaseTTL).
const MAX_LEASE_TTL_SECONDS = 9_000_000_000;

export function checkKey(key: unknown, what = 'key'): asserts key is string {
  if (typeof key !== 'string') throw invalidArgument(`${what} must be a string, got ${typeof key}`);
  if (key === '') throw invalidArgument(`${what} is empty (etcdserver: key is not provided)`);
}

/** A key that may be stored: a non-empty string that encodes to UTF-8 without loss. */
export function checkWritableKey(key: unknown): asserts key is string {
  checkKey(key);
  if (hasHighCodeUnit(key) && LONE_SURROGATE.test(key)) throw invalidArgument(`key ${JSON.stringify(key)} has a lone surrogate, not valid UTF-8`);
}

export function checkPrefix(prefix: unknown, what = 'prefix'): asserts prefix is string {
  if (typeof prefix !== 'string') throw invalidArgument(`${what} must be a string, got ${typeof prefix}`);
}

export function checkValue(value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalidArgument('value must be a Uint8Array');
}

/** A revision-like argument: absent → 0, otherwise a non-negative safe integer. */
export function nonNegativeInteger(value: unknown, what: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidArgument(`${what} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** A lease id to attach: absent or '0' means none, otherwise a positive decimal integer. */
export function leaseIdOption(leaseId: unknown): string {
  if (leaseId === undefined || leaseId === '0') return '0';
  checkLeaseId(leaseId);
  return leaseId;
}

export function checkLeaseId(leaseId: unknown): asserts leaseId is string {
  if (typeof leaseId !== 'string' || !/^[0-9]{1,19}$/.test(leaseId)) {
    throw invalidArgument(`lease id must be a decimal string, got ${JSON.stringify(leaseId)}`);
  }
}

/** A whole number of seconds; like etcd, TTLs below the minimum (1 s here) are raised to it. */
export function leaseTtl(ttlSeconds: unknown): number {
  if (typeof ttlSeconds !== 'number' || !Number.isSafeInteger(ttlSeconds)) {
    throw invalidArgument(`lease TTL must be an integer number of seconds, got ${String(ttlSeconds)}`);
  }
  if (ttlSeconds > MAX_LEASE_TTL_SECONDS) throw invalidArgument('etcdserver: too large lease TTL');
  return Math.max(1, ttlSeconds);
}
