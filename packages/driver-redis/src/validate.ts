import { invalidArgument } from './errors.js';

// isWellFormed is ES2024; our lib setting is ES2023.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_LEASE_TTL_SECONDS = 9_000_000_000;

/** A key or prefix that round-trips through UTF-8 (`allowEmpty` for prefixes). */
export function textArg(value: unknown, what: string, allowEmpty: boolean): string {
  if (typeof value !== 'string') throw invalidArgument(`${what} must be a string`);
  if (value === '' && !allowEmpty) throw invalidArgument('etcdserver: key is not provided');
  if (LONE_SURROGATE.test(value)) throw invalidArgument(`${what} is not well-formed Unicode (lone surrogate)`);
  return value;
}

/** A non-negative safe integer; absent → 0 (`negativeIsZero` for read revisions and limits, as etcd does). */
export function countArg(value: unknown, what: string, negativeIsZero = false): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalidArgument(`${what} must be an integer, got ${String(value)}`);
  if (value < 0) {
    if (negativeIsZero) return 0;
    throw invalidArgument(`${what} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

export function valueArg(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalidArgument('value must be a Uint8Array');
  return value;
}

/** '0'/absent → '0' (no lease); otherwise a positive decimal id. */
export function leaseArg(id: unknown): string {
  if (id === undefined || id === '0') return '0';
  if (typeof id !== 'string' || !/^[1-9][0-9]{0,18}$/.test(id)) throw invalidArgument(`lease id must be a decimal string, got ${JSON.stringify(id)}`);
  return id;
}

export function ttlArg(ttl: unknown): number {
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_LEASE_TTL_SECONDS) {
    throw invalidArgument(`ttlSeconds must be an integer from 1 to ${MAX_LEASE_TTL_SECONDS}, got ${String(ttl)}`);
  }
  return ttl;
}
