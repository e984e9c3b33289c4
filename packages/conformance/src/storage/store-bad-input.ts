import { Buffer } from 'node:buffer';
import { isBadRequest, type SelectionPredicate } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { createStorageTestContext, type StorageTestContext } from './context.js';
import { pod, type Pod } from './fixtures.js';
import { captureError, currentRevision, invalidResourceVersionText } from './store-helpers.js';

const raw = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

/** Continue tokens the store must refuse, with the Kubernetes wording it must use. */
const BAD_TOKENS: Record<string, [string, string]> = {
  'not base64': ['%%%not-base64%%%', 'invalid continue token: continue key is not valid'],
  'not JSON': [raw('not json'), 'invalid continue token: continue key is not valid'],
  'an unknown token version': [
    raw('{"v":"meta.k8s.io/v2","rv":5,"start":"a"}'),
    'invalid continue token: continue key is not valid: server does not recognize this encoded version',
  ],
  'a start key escaping the list prefix': [
    raw('{"v":"meta.k8s.io/v1","rv":5,"start":"../secrets/x"}'),
    'invalid continue token: continue key is not valid: ../secrets/x',
  ],
  'a start key that is not clean': [
    raw('{"v":"meta.k8s.io/v1","rv":5,"start":"a//b"}'),
    'invalid continue token: continue key is not valid',
  ],
};

const BAD_SELECTORS: Record<string, SelectionPredicate<Pod>> = {
  'an unterminated label set': { label: 'app in (web' },
  'a label selector with an empty key': { label: '=web' },
  'a field selector without an operator': { field: 'metadata.name' },
  'a field selector with a set operator': { field: 'spec.nodeName in (a)' },
};

/** Malformed list input fails with 400 BadRequest in Kubernetes wording and writes nothing. */
export function storeBadInputTests(target: ConformanceTarget): void {
  describe('bad list input', () => {
    let ctx: StorageTestContext | undefined;
    let revision = 0;
    beforeAll(async () => {
      ctx = await createStorageTestContext(target);
      await ctx.store.create('/pods/ns/a', pod('ns', 'a'));
      revision = await currentRevision(ctx);
    });
    afterAll(async () => ctx?.close());

    for (const [name, [token, message]] of Object.entries(BAD_TOKENS)) {
      it.concurrent(`a continue token with ${name} is a BadRequest`, async () => {
        if (!ctx) throw new Error('setup failed');
        const err = await captureError(ctx.store.getList('/pods/', { recursive: true, predicate: { continue: token } }));
        expect(isBadRequest(err), `got ${err}`).toBe(true);
        expect(err.message).toContain(message);
      });
    }

    for (const [name, predicate] of Object.entries(BAD_SELECTORS)) {
      it.concurrent(`${name} is a BadRequest`, async () => {
        if (!ctx) throw new Error('setup failed');
        const err = await captureError(ctx.store.getList('/pods/', { recursive: true, predicate }));
        expect(isBadRequest(err), `got ${err}`).toBe(true);
      });
    }

    it.concurrent('an unparsable resourceVersion is a BadRequest for lists', async () => {
      if (!ctx) throw new Error('setup failed');
      for (const resourceVersion of ['abc', '-1', '1.5', ' 1']) {
        const err = await captureError(ctx.store.getList('/pods/', { recursive: true, resourceVersion }));
        expect(isBadRequest(err), `${resourceVersion}: got ${err}`).toBe(true);
        expect(err.message).toBe(invalidResourceVersionText(resourceVersion));
      }
    });

    // Not concurrent: runs after the concurrent group above.
    it('none of the rejected calls wrote anything', async () => {
      if (!ctx) throw new Error('setup failed');
      expect(await currentRevision(ctx)).toBe(revision);
    });
  });
}
