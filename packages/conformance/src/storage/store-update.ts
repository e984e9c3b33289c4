import { isInvalidObj, isNotFound, type Preconditions, type ResponseMeta } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { pod, type Pod } from './fixtures.js';
import { captureError, currentRevision, expectStoredCleanly, openStore, rvOf } from './store-helpers.js';
import { PrefixTransformer } from './test-transformers.js';

interface UpdateCase {
  readonly name: string;
  readonly key?: string;
  readonly ignoreNotFound?: boolean;
  readonly preconditions?: Preconditions;
  readonly expect: 'write' | 'no-write' | 'not-found' | 'invalid-obj';
  /** The update returns the stored object unchanged (else it sets an annotation). */
  readonly sameData?: boolean;
  readonly selfLink?: boolean;
  readonly stale?: boolean;
}

const EXISTING = '/pods/test-ns/foo';
const MISSING = '/pods/non-existing';

const cases: readonly UpdateCase[] = [
  { name: 'a missing key fails isNotFound', key: MISSING, expect: 'not-found' },
  { name: 'a missing key with ignoreNotFound creates from the zero object', key: MISSING, ignoreNotFound: true, expect: 'write' },
  { name: 'an existing key is written with a new resourceVersion', expect: 'write' },
  { name: 'identical data is not written and keeps the resourceVersion', sameData: true, expect: 'no-write' },
  { name: 'identical data plus a selfLink is not written and no selfLink is returned', sameData: true, selfLink: true, expect: 'no-write' },
  { name: 'identical data read through a stale transformer is rewritten', sameData: true, stale: true, expect: 'write' },
  { name: 'a matching UID precondition passes', sameData: true, preconditions: { uid: 'A' }, expect: 'no-write' },
  { name: 'a mismatching UID precondition fails isInvalidObj', preconditions: { uid: 'B' }, expect: 'invalid-obj' },
];

/** Kubernetes RunTestGuaranteedUpdate and RunTestGuaranteedUpdateChecksStoredData. */
export function storeGuaranteedUpdateTests(target: ConformanceTarget): void {
  describe('guaranteedUpdate', () => {
    for (const [index, c] of cases.entries()) {
      it.concurrent(c.name, async (t) => {
        const ctx = await openStore(t, target);
        const stored = await ctx.store.create(EXISTING, pod('test-ns', 'foo', { metadata: { uid: 'A' } }));
        if (c.stale) ctx.prefixTransformer.stale = true;
        const key = c.key ?? EXISTING;
        const annotations = c.sameData ? undefined : { version: String(index) };
        const seen: Array<{ current: Pod; meta: ResponseMeta }> = [];
        const before = await currentRevision(ctx);

        const result = ctx.store.guaranteedUpdate(key, {
          ignoreNotFound: c.ignoreNotFound ?? false,
          ...(c.preconditions ? { preconditions: c.preconditions } : {}),
          tryUpdate: (current, meta) => {
            seen.push({ current: structuredClone(current), meta });
            const metadata: Pod['metadata'] = { ...stored.metadata };
            if (annotations) metadata.annotations = annotations;
            if (c.selfLink) metadata.selfLink = 'testlink';
            return { ...stored, metadata };
          },
        });

        if (c.expect === 'not-found' || c.expect === 'invalid-obj') {
          const err = await captureError(result);
          const ok = c.expect === 'not-found' ? isNotFound(err) : isInvalidObj(err);
          expect(ok, `expected ${c.expect}, got ${err}`).toBe(true);
          expect(await currentRevision(ctx), 'a failed update writes nothing').toBe(before);
          return;
        }

        const out = await result;
        expect(out.metadata.annotations).toEqual(annotations);
        expect(out.metadata.selfLink).toBeUndefined();
        await expectStoredCleanly(ctx, key);
        if (key === MISSING) {
          expect(seen[0]?.current, 'tryUpdate gets the zero object').toEqual({ metadata: {} });
          expect(seen[0]?.meta.resourceVersion).toBe(0);
        } else {
          expect(seen[0]?.current).toEqual(stored);
          expect(seen[0]?.meta.resourceVersion).toBe(Number(rvOf(stored)));
        }
        if (c.expect === 'no-write') {
          expect(out.metadata.resourceVersion).toBe(stored.metadata.resourceVersion);
          expect(await currentRevision(ctx), 'a no-op update takes no revision').toBe(before);
        } else {
          expect(Number(out.metadata.resourceVersion)).toBe(before + 1);
          expect(await ctx.store.get(key)).toEqual(out);
        }
      });
    }

    it.concurrent('non-canonical stored bytes are rewritten by an identical update, then short-circuit', async (t) => {
      const ctx = await openStore(t, target);
      const key = '/pods/test-ns/foo';
      // "test! {json}": the suite transformer strips "test!" and leaves JSON with leading whitespace.
      const revert = ctx.updateTransformer(() => new PrefixTransformer('test! '));
      const initial = await ctx.store.create(key, pod('test-ns', 'foo'));
      revert();

      const input = structuredClone(initial);
      const first = await ctx.store.guaranteedUpdate(key, {
        ignoreNotFound: true,
        tryUpdate: () => input,
        cachedExistingObject: input,
      });
      expect(first.metadata.resourceVersion, 'differing stored bytes force a write').not.toBe(rvOf(initial));

      const second = await ctx.store.guaranteedUpdate(key, {
        ignoreNotFound: true,
        tryUpdate: () => first,
        cachedExistingObject: first,
      });
      expect(second.metadata.resourceVersion, 'canonical bytes short-circuit').toBe(rvOf(first));

      ctx.prefixTransformer.stale = true;
      const third = await ctx.store.guaranteedUpdate(key, {
        ignoreNotFound: true,
        tryUpdate: () => first,
        cachedExistingObject: first,
      });
      expect(third.metadata.resourceVersion, 'a stale read forces a write').not.toBe(rvOf(first));
    });
  });
}
