import { BackendError } from '@storagebackend/core';
import { encodeKey, prefixRange } from '../client/kv.js';
import type { WatchRange } from './etcd-watch.js';

/** The etcd key range of a watch: one key, or every key under a prefix (the whole keyspace for ''). */
export function watchRange(key: string, prefix: boolean): WatchRange {
  if (typeof key !== 'string') throw new BackendError('InvalidArgument', 'watch key must be a string');
  if (prefix) return prefixRange(key);
  if (key === '') throw new BackendError('InvalidArgument', 'watch key must be non-empty unless prefix is set');
  return { key: encodeKey(key) };
}
