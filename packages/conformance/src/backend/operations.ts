import fc from 'fast-check';

/** Keys the generated operations touch, relative to the run's key prefix; chosen to share prefixes and bytes order traps. */
export const OPERATION_KEYS = ['a/1', 'a/2', 'a/10', 'a', 'ab/1', 'b/é', 'b/😀', 'b/\uFFFD'] as const;
/** Prefixes the generated lists and counts use, relative to the run's key prefix ('' is the whole run). */
export const OPERATION_PREFIXES = ['', 'a/', 'a', 'ab/', 'b/', 'c/'] as const;

/** How an optimistic write picks its expected mod revision. */
export type Expectation =
  | { readonly kind: 'absent' } // 0: the key must not exist
  | { readonly kind: 'tracked' } // the key's mod revision as last observed by this run: usually right
  | { readonly kind: 'stale' } // one less than tracked: wrong unless the key is absent
  | { readonly kind: 'relative'; readonly offset: number }; // start revision + offset: almost always wrong

/** Which revision a read or compaction targets. */
export type RevisionRef =
  | { readonly kind: 'latest' }
  | { readonly kind: 'relative'; readonly offset: number } // start revision + offset, may be future or compacted
  | { readonly kind: 'back'; readonly by: number }; // current revision - by (not below the start revision)

/**
 * One step of a generated scenario; keys and prefixes are indexes into OPERATION_KEYS / OPERATION_PREFIXES.
 *
 * @example
 * const op: BackendOperation = { op: 'put', key: 0, value: 'v1', expect: { kind: 'tracked' }, getOnFailure: true };
 */
export type BackendOperation =
  | { readonly op: 'put'; readonly key: number; readonly value: string; readonly expect: Expectation; readonly getOnFailure: boolean }
  | { readonly op: 'delete'; readonly key: number; readonly expect: Expectation; readonly getOnFailure: boolean }
  | { readonly op: 'get'; readonly key: number; readonly at: RevisionRef }
  | { readonly op: 'list'; readonly prefix: number; readonly limit: number; readonly paginate: boolean; readonly at: RevisionRef }
  | { readonly op: 'count'; readonly prefix: number }
  | { readonly op: 'compact'; readonly at: RevisionRef }
  | { readonly op: 'status' };

export interface OperationArbitraryOptions {
  /** Include compact operations (only for backends declaring capabilities.compaction). Default true. */
  readonly compaction?: boolean;
}

// Biased towards the first three keys (one shared prefix) so keys get histories and lists get several pages.
const keyIndex = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 2 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: OPERATION_KEYS.length - 1 }) },
);
const prefixIndex = fc.integer({ min: 0, max: OPERATION_PREFIXES.length - 1 });

const expectation: fc.Arbitrary<Expectation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'tracked' } as const) },
  { weight: 3, arbitrary: fc.constant({ kind: 'absent' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stale' } as const) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 45 }).map((offset) => ({ kind: 'relative', offset }) as const) },
);

const revisionRef: fc.Arbitrary<RevisionRef> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'latest' } as const) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 6 }).map((by) => ({ kind: 'back', by }) as const) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 45 }).map((offset) => ({ kind: 'relative', offset }) as const) },
);

const value = fc.oneof(
  fc.constantFrom('', 'v0', 'v1', 'ünï', '{"json":true}'),
  fc.string({ maxLength: 12 }),
);

/**
 * A generator of single backend operations, weighted towards writes that succeed so histories grow.
 *
 * @example
 * fc.assert(fc.asyncProperty(fc.array(backendOperationArbitrary(), { maxLength: 40 }), async (ops) => { ... }));
 */
export function backendOperationArbitrary(options: OperationArbitraryOptions = {}): fc.Arbitrary<BackendOperation> {
  const ops: Array<fc.WeightedArbitrary<BackendOperation>> = [
    {
      weight: 10,
      arbitrary: fc.record({ op: fc.constant('put' as const), key: keyIndex, value, expect: expectation, getOnFailure: fc.boolean() }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ op: fc.constant('delete' as const), key: keyIndex, expect: expectation, getOnFailure: fc.boolean() }),
    },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('get' as const), key: keyIndex, at: revisionRef }) },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('list' as const),
        prefix: prefixIndex,
        limit: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 })),
        paginate: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        at: revisionRef,
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('count' as const), prefix: prefixIndex }) },
    { weight: 1, arbitrary: fc.constant({ op: 'status' } as const) },
  ];
  if (options.compaction ?? true) {
    ops.push({ weight: 1, arbitrary: fc.record({ op: fc.constant('compact' as const), at: revisionRef }) });
  }
  return fc.oneof(...ops);
}

/**
 * A generated scenario: a bounded sequence of operations (≤ 40 by default, so a real etcd stays fast).
 *
 * @example
 * fc.assert(fc.asyncProperty(backendOperationsArbitrary(), async (ops) => { ... }), { numRuns: 30 });
 */
export function backendOperationsArbitrary(
  options: OperationArbitraryOptions & { readonly maxLength?: number } = {},
): fc.Arbitrary<BackendOperation[]> {
  return fc.array(backendOperationArbitrary(options), { minLength: 1, maxLength: options.maxLength ?? 40, size: 'max' });
}
