import type { KeyValue } from '@storagebackend/core';

const BAR = 0x7c;
const EMPTY: Uint8Array = new Uint8Array(0);

/** Reads the decimal digits of `buf` in [from, to). */
function digits(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (buf[i]! - 48);
  return n;
}

/**
 * Decodes a stored record `p|create|mod|version|lease|value` (or a tombstone `d|0|mod|0|0|`). The value is a view
 * into `rec` unless `copy` is set (watch events outlive their response).
 */
export function decodeRecord(key: string, rec: Uint8Array, copy = false): KeyValue {
  const marks: number[] = [];
  let at = 1;
  for (let n = 0; n < 5; n++) {
    at = rec.indexOf(BAR, at + (n === 0 ? 0 : 1));
    if (at < 0) throw new Error(`redis: malformed record for key ${JSON.stringify(key)}`);
    marks.push(at);
  }
  const [a, b, c, d, e] = marks as [number, number, number, number, number];
  const view = rec.subarray(e + 1);
  let value: Uint8Array = EMPTY;
  if (view.length > 0) value = copy ? new Uint8Array(view) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return {
    key,
    value,
    createRevision: digits(rec, a + 1, b),
    modRevision: digits(rec, b + 1, c),
    version: digits(rec, c + 1, d),
    lease: e === d + 2 && rec[d + 1] === 48 ? '0' : String(digits(rec, d + 1, e)),
  };
}

/** True for the tombstone record a delete writes. */
export function isTombstone(rec: Uint8Array): boolean {
  return rec[0] === 0x64;
}

/** A Uint8Array as a Buffer without copying (what ioredis sends as-is). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
