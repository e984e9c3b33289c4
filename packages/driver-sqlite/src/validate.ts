import { invalidArgument } from './errors.js';

/** Largest revision the history row id (revision << 20 | index) can hold. */
export const MAX_REVISION = 2 ** 43 - 1;
/** etcd's MaxLeaseTTL. */
const MAX_LEASE_TTL_SECONDS = 9_000_000_000;

// isWellFormed is ES2024; Node 20 has it but our lib setting is ES2023.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A key must be a non-empty string that encodes to UTF-8 losslessly. */
export function checkKey(key: unknown, what = 'key'): string {
  if (typeof key !== 'string') throw invalidArgument(`${what} must be a string`);
  if (key === '') throw invalidArgument(`etcdserver: key is not provided`);
  return checkText(key, what);
}

/** Like checkKey, but the empty string (everything) is allowed. */
export function checkPrefix(prefix: unknown, what = 'prefix'): string {
  if (typeof prefix !== 'string') throw invalidArgument(`${what} must be a string`);
  return checkText(prefix, what);
}

function checkText(text: string, what: string): string {
  if (LONE_SURROGATE.test(text)) throw invalidArgument(`${what} is not well-formed Unicode (lone surrogate)`);
  return text;
}

/** A read revision: 0/absent/negative means latest (etcd), otherwise an integer. */
export function checkReadRevision(revision: unknown): number {
  if (revision === undefined) return 0;
  if (typeof revision !== 'number' || !Number.isInteger(revision)) throw invalidArgument(`revision must be an integer, got ${String(revision)}`);
  return revision < 0 ? 0 : revision;
}

export function checkLimit(limit: unknown): number {
  if (limit === undefined) return 0;
  if (typeof limit !== 'number' || !Number.isInteger(limit)) throw invalidArgument(`limit must be an integer, got ${String(limit)}`);
  return limit < 0 ? 0 : limit;
}

export function checkExpectedRevision(revision: unknown): number {
  if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 0) {
    throw invalidArgument(`expectedModRevision must be a non-negative integer, got ${String(revision)}`);
  }
  return revision;
}

export function checkValue(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalidArgument('value must be a Uint8Array');
  return value;
}

/** '0'/absent → 0 (no lease), otherwise a positive decimal id. */
export function checkLeaseId(id: unknown): number {
  if (id === undefined || id === '0') return 0;
  if (typeof id !== 'string' || !/^[1-9][0-9]{0,15}$/.test(id) || !Number.isSafeInteger(Number(id))) {
    throw invalidArgument(`lease id must be a decimal string, got ${JSON.stringify(id)}`);
  }
  return Number(id);
}

export function checkTtl(ttlSeconds: unknown): number {
  if (typeof ttlSeconds !== 'number' || !Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_LEASE_TTL_SECONDS) {
    throw invalidArgument(`ttlSeconds must be an integer from 1 to ${MAX_LEASE_TTL_SECONDS}, got ${String(ttlSeconds)}`);
  }
  return ttlSeconds;
}

/** A revision argument that must name a real revision (watch start, compaction target). */
export function checkPositiveRevision(revision: unknown, what: string): number {
  if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 1 || revision > MAX_REVISION) {
    throw invalidArgument(`${what} must be a positive integer, got ${String(revision)}`);
  }
  return revision;
}
