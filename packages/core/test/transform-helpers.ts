import { expect } from 'vitest';
import { TransformError } from '../src/transform/errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const bytes = (s: string): Uint8Array => encoder.encode(s);
export const text = (b: Uint8Array): string => decoder.decode(b);

/** The TransformError a transformer call failed with (it fails the test if the call succeeded or threw anything else). */
export async function rejection(promise: unknown): Promise<TransformError> {
  const err = await Promise.resolve(promise).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TransformError);
  return err as TransformError;
}
