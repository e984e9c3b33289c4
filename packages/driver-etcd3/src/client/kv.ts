import type { KeyValue } from '@storagebackend/core';
import type { IKeyValue } from 'etcd3';

const ZERO = Buffer.from([0]);

export function encodeKey(key: string): Buffer {
  return Buffer.from(key, 'utf8');
}

/**
 * etcd's range end for a prefix: the prefix with its last byte below 0xff incremented. An empty or all-0xff
 * prefix has no such end; `\0` then means "to the end of the keyspace".
 */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i]!;
    if (byte < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  return ZERO;
}

/** `[key, rangeEnd)` covering every key that starts with `prefix`, in etcd's request form. */
export function prefixRange(prefix: string): { key: Buffer; range_end: Buffer } {
  const key = encodeKey(prefix);
  // etcd rejects an empty key; `\0` is the smallest key, so `[\0, \0)` is the whole keyspace.
  return key.length === 0 ? { key: ZERO, range_end: ZERO } : { key, range_end: prefixRangeEnd(key) };
}

export function toNumber(value: string | number | undefined | null): number {
  return value === undefined || value === null || value === '' ? 0 : Number(value);
}

/**
 * Copy a value when keeping the slice would pin a much larger gRPC response buffer. Done for watch events, which
 * consumers tend to keep (caches, queues); list and get results are handed out as views of their page (the Store
 * decodes and drops them at once, and a page is bounded by its limit), which keeps large lists fast.
 */
const SHARED_BUFFER_SLACK_BYTES = 4096;

function ownValue(value: Buffer): Buffer {
  const backing = value.buffer.byteLength;
  return backing > 2 * value.byteLength && backing > SHARED_BUFFER_SLACK_BYTES ? Buffer.from(value) : value;
}

export function toKeyValue(kv: IKeyValue, own = false): KeyValue {
  return {
    key: kv.key.toString('utf8'),
    value: own ? ownValue(kv.value) : kv.value,
    createRevision: toNumber(kv.create_revision),
    modRevision: toNumber(kv.mod_revision),
    version: toNumber(kv.version),
    lease: kv.lease === '' ? '0' : String(kv.lease),
  };
}
