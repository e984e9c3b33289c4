import { checkData, hasPrefix, toBytes } from './bytes.js';
import { TransformError } from './errors.js';
import type { TransformContext, TransformFromResult, Transformer } from './transformer.js';

/** A transformer and the prefix that marks values it wrote. */
export interface PrefixTransformerEntry {
  readonly prefix: Uint8Array | string;
  readonly transformer: Transformer;
}

export const NO_MATCHING_TRANSFORMER = 'the provided value does not match any of the supported transformers';

/**
 * Chains transformers by value prefix (Kubernetes `value.NewPrefixTransformers`). Reads use the first entry
 * whose prefix matches (prefix stripped); if it fails, later matching entries are tried, and an empty-prefix
 * entry's failure is skipped silently. A read not served by the first entry is `stale`. Writes use the first
 * entry and prefix its output. When nothing matches, `err` is thrown (default: a `NoMatchingTransformer` error).
 *
 * @example
 * const transformer = prefixTransformers(undefined,
 *   { prefix: 'k8s:enc:aesgcm:v1:new:', transformer: aesGcmTransformer(newKey) },
 *   { prefix: 'k8s:enc:aesgcm:v1:old:', transformer: aesGcmTransformer(oldKey) }, // read-only, stale
 * );
 */
export function prefixTransformers(err: Error | undefined, ...entries: PrefixTransformerEntry[]): Transformer {
  if (entries.length === 0) throw new TransformError('InvalidConfig', 'prefixTransformers needs at least one transformer');
  const chain = entries.map((e) => ({ prefix: toBytes(e.prefix), transformer: e.transformer }));
  const noMatch = err ?? new TransformError('NoMatchingTransformer', NO_MATCHING_TRANSFORMER);
  const first = chain[0]!;

  return {
    async transformFromStorage(data: Uint8Array, context: TransformContext): Promise<TransformFromResult> {
      checkData(data);
      const errors: unknown[] = [];
      for (const [i, { prefix, transformer }] of chain.entries()) {
        if (!hasPrefix(data, prefix)) continue;
        try {
          const result = await transformer.transformFromStorage(data.subarray(prefix.length), context);
          return { data: result.data, stale: result.stale || i !== 0 };
        } catch (e) {
          // An identity entry (empty prefix) refusing encrypted data must not hide the real failure.
          if (prefix.length > 0) errors.push(e);
        }
      }
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) throw aggregate(errors);
      throw noMatch;
    },

    async transformToStorage(data: Uint8Array, context: TransformContext): Promise<Uint8Array> {
      checkData(data);
      const result = await first.transformer.transformToStorage(data, context);
      const out = new Uint8Array(first.prefix.length + result.length);
      out.set(first.prefix, 0);
      out.set(result, first.prefix.length);
      return out;
    },
  };
}

// Kubernetes aggregates as "[err1, err2]"; the code is kept when every failure shares it.
function aggregate(errors: readonly unknown[]): TransformError {
  const messages = [...new Set(errors.map((e) => (e instanceof Error ? e.message : String(e))))];
  const codes = new Set(errors.map((e) => (e instanceof TransformError ? e.code : undefined)));
  const [only] = codes;
  const code = codes.size === 1 && only !== undefined ? only : 'TransformFailed';
  const message = messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
  return new TransformError(code, message, { errors });
}
