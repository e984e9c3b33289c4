import type { MaybePromise, TransformContext, TransformFromResult, Transformer } from '@storagebackend/core';

const encoder = new TextEncoder();

function startsWith(data: Uint8Array, prefix: Uint8Array): boolean {
  if (data.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return false;
  return true;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * The suite's transformer: writes `prefix + data`, reads only data carrying the prefix, can report values as stale,
 * can be made to fail, and counts reads (Kubernetes `storagetesting.PrefixTransformer`).
 */
export class PrefixTransformer implements Transformer {
  readonly prefix: Uint8Array;
  stale = false;
  err: Error | undefined;
  reads = 0;

  constructor(prefix: string | Uint8Array = 'test!', options: { stale?: boolean; err?: Error } = {}) {
    this.prefix = typeof prefix === 'string' ? encoder.encode(prefix) : prefix;
    this.stale = options.stale ?? false;
    this.err = options.err;
  }

  async transformFromStorage(data: Uint8Array, context: TransformContext): Promise<TransformFromResult> {
    if (!context || !(context.authenticatedData instanceof Uint8Array)) throw new Error('no transform context');
    this.reads++;
    if (this.err) throw this.err;
    if (!startsWith(data, this.prefix)) {
      throw new Error(`value does not have expected prefix ${JSON.stringify(new TextDecoder().decode(this.prefix))}`);
    }
    return { data: data.subarray(this.prefix.length), stale: this.stale };
  }

  async transformToStorage(data: Uint8Array, context: TransformContext): Promise<Uint8Array> {
    if (!context || !(context.authenticatedData instanceof Uint8Array)) throw new Error('no transform context');
    if (this.err) throw this.err;
    return concat(this.prefix, data);
  }

  resetReads(): void {
    this.reads = 0;
  }
}

/** Delegates to whichever transformer is current, so a test can swap the store's transformer and revert it. */
export class SwappableTransformer implements Transformer {
  current: Transformer;

  constructor(initial: Transformer) {
    this.current = initial;
  }

  transformFromStorage(data: Uint8Array, context: TransformContext): MaybePromise<TransformFromResult> {
    return this.current.transformFromStorage(data, context);
  }

  transformToStorage(data: Uint8Array, context: TransformContext): MaybePromise<Uint8Array> {
    return this.current.transformToStorage(data, context);
  }

  /** Installs `next(current)` and returns a function restoring the previous transformer. */
  swap(next: (current: Transformer) => Transformer): () => void {
    const previous = this.current;
    this.current = next(previous);
    return () => {
      this.current = previous;
    };
  }
}

/**
 * Writes a new object into the store on every read before delegating (Kubernetes `reproducingTransformer`), so a
 * list's later pages are read while the store keeps changing: a multi-page read must stay pinned to one revision.
 */
export class ReproducingTransformer implements Transformer {
  readonly wrapped: Transformer;
  readonly #createObject: (index: number) => Promise<unknown>;
  #index = 0;

  constructor(wrapped: Transformer, createObject: (index: number) => Promise<unknown>) {
    this.wrapped = wrapped;
    this.#createObject = createObject;
  }

  /** Creates the next object (also what every read does first). */
  createObject(): Promise<unknown> {
    this.#index++;
    return this.#createObject(this.#index);
  }

  async transformFromStorage(data: Uint8Array, context: TransformContext): Promise<TransformFromResult> {
    await this.createObject();
    return this.wrapped.transformFromStorage(data, context);
  }

  transformToStorage(data: Uint8Array, context: TransformContext): MaybePromise<Uint8Array> {
    return this.wrapped.transformToStorage(data, context);
  }
}

/** Fails reads (and, if asked, writes) with `failed transformation` (Kubernetes `failingTransformer`). */
export class FailingTransformer implements Transformer {
  readonly #wrapped: Transformer;
  readonly #failWrites: boolean;

  constructor(wrapped: Transformer, options: { failWrites?: boolean } = {}) {
    this.#wrapped = wrapped;
    this.#failWrites = options.failWrites ?? false;
  }

  async transformFromStorage(): Promise<TransformFromResult> {
    throw new Error('failed transformation');
  }

  async transformToStorage(data: Uint8Array, context: TransformContext): Promise<Uint8Array> {
    if (this.#failWrites) throw new Error('failed transformation');
    return this.#wrapped.transformToStorage(data, context);
  }
}
