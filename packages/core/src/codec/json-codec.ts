import type { Codec } from './codec.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The default codec: UTF-8 JSON (Kubernetes' `application/json` storage media type). */
export const jsonCodec: Codec = {
  encode: (obj) => encoder.encode(JSON.stringify(obj)),
  decode: (data) => JSON.parse(decoder.decode(data)) as unknown,
};
