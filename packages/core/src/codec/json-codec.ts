import type { Codec } from './codec.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The default codec: UTF-8 JSON (Kubernetes' `application/json` storage media type). Each value gets its own
 * buffer: Buffer.from would be faster but hands out views of Node's shared pool, which a backend keeping values
 * (memory, SQLite watch logs) would pin for as long as any value in the slab lives.
 */
export const jsonCodec: Codec = {
  encode: (obj) => encoder.encode(JSON.stringify(obj)),
  decode: (data) => JSON.parse(decoder.decode(data)) as unknown,
};
