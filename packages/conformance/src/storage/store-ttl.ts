import { isNotFound, withTtl } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../target.js';
import { pod, podKey, type Pod } from './fixtures.js';
import { captureError, openStore, requireCapability, rvOf, waitForEvent } from './store-helpers.js';
import type { StorageTestContext } from './context.js';

const TTL_SECONDS = 1;
const LEASE_REUSE_SECONDS = 1;

/** Kubernetes RunTestCreateWithTTL and RunTestGuaranteedUpdateWithTTL. */
export function storeTtlTests(target: ConformanceTarget): void {
  const slackSeconds = target.leaseExpirySlackSeconds ?? 5;
  const expiryMs = (TTL_SECONDS + LEASE_REUSE_SECONDS + slackSeconds) * 1000;

  async function expectDeletedByExpiry(ctx: StorageTestContext, key: string, written: Pod): Promise<void> {
    const watch = await ctx.store.watch(key, { resourceVersion: rvOf(written) });
    try {
      const event = await waitForEvent(watch, (e) => e.type !== 'BOOKMARK', expiryMs);
      expect(event.type, `the first event after a ${TTL_SECONDS}s TTL`).toBe('DELETED');
      expect((event.object as Pod).metadata.name).toBe(written.metadata.name);
    } finally {
      watch.stop();
    }
    expect(isNotFound(await captureError(ctx.store.get(key)))).toBe(true);
  }

  describe('ttl', () => {
    it.concurrent(
      'create with a TTL: the object expires and a watch sees DELETED',
      async (t) => {
        const ctx = await openStore(t, target, { leaseReuseDurationSeconds: LEASE_REUSE_SECONDS });
        requireCapability(t, ctx.backend, 'leases');
        const input = pod('test-ns', 'foo');
        const out = await ctx.store.create(podKey(input), input, { ttlSeconds: TTL_SECONDS });
        await expectDeletedByExpiry(ctx, podKey(input), out);
      },
      expiryMs + 10_000,
    );

    it.concurrent(
      'guaranteedUpdate (upsert) with withTtl: the object expires and a watch sees DELETED',
      async (t) => {
        const ctx = await openStore(t, target, { leaseReuseDurationSeconds: LEASE_REUSE_SECONDS });
        requireCapability(t, ctx.backend, 'leases');
        const input = pod('test-ns', 'foo');
        const out = await ctx.store.guaranteedUpdate(podKey(input), {
          ignoreNotFound: true,
          tryUpdate: () => withTtl(input, TTL_SECONDS),
        });
        expect(out.metadata.name).toBe('foo');
        await expectDeletedByExpiry(ctx, podKey(input), out);
      },
      expiryMs + 10_000,
    );

    it.concurrent(
      'an update without a TTL detaches the lease, so the object stays',
      async (t) => {
        const ctx = await openStore(t, target, { leaseReuseDurationSeconds: LEASE_REUSE_SECONDS });
        requireCapability(t, ctx.backend, 'leases');
        const key = '/pods/test-ns/kept';
        await ctx.store.create(key, pod('test-ns', 'kept'), { ttlSeconds: TTL_SECONDS });
        const updated = await ctx.store.guaranteedUpdate(key, {
          tryUpdate: (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { kept: 'true' } } }),
        });
        expect((await ctx.rawGet(key))?.lease, 'a put without a lease detaches it (etcd semantics)').toBe('0');
        await new Promise((resolve) => setTimeout(resolve, (TTL_SECONDS + LEASE_REUSE_SECONDS + 1) * 1000));
        expect(await ctx.store.get(key)).toEqual(updated);
      },
      expiryMs + 10_000,
    );
  });
}
