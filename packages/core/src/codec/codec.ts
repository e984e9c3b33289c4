/**
 * Serializes objects for storage. Encoding must be deterministic: the no-op update short-circuit compares bytes.
 *
 * @example
 * const codec: Codec = { encode: (o) => new TextEncoder().encode(JSON.stringify(o)), decode: (b) => JSON.parse(new TextDecoder().decode(b)) };
 */
export interface Codec {
  encode(obj: unknown): Uint8Array;
  decode(data: Uint8Array): unknown;
}
