import type { TransformContext } from './transformer.js';

const encoder = new TextEncoder();

/** The transform context of one backend key; the key's bytes are computed only if a transformer asks for them. */
export class KeyTransformContext implements TransformContext {
  readonly #key: string;
  #data: Uint8Array | undefined;

  constructor(key: string) {
    this.#key = key;
  }

  get authenticatedData(): Uint8Array {
    return (this.#data ??= encoder.encode(this.#key));
  }
}
