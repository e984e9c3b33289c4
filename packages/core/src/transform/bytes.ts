import { TransformError } from './errors.js';
import type { TransformContext } from './transformer.js';

const encoder = new TextEncoder();

export function toBytes(value: Uint8Array | string): Uint8Array {
  return typeof value === 'string' ? encoder.encode(value) : value;
}

export function hasPrefix(data: Uint8Array, prefix: Uint8Array): boolean {
  if (data.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return false;
  return true;
}

export function checkData(data: unknown): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TransformError('InvalidArgument', 'transformer data must be a Uint8Array');
}

/** The context's authenticated data; a missing context is a caller bug, reported instead of crashing. */
export function authenticatedDataOf(context: TransformContext | undefined): Uint8Array {
  const aad: unknown = context?.authenticatedData;
  if (!(aad instanceof Uint8Array)) {
    throw new TransformError('InvalidArgument', 'transformer context must carry authenticatedData as a Uint8Array');
  }
  return aad;
}

/** A plain Uint8Array view of a Buffer, so results compare equal to other Uint8Arrays. */
export function plain(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
