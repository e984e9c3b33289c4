import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, isBackendError } from '@storagebackend/core';
import { enc, openTemp, type Opened } from './helpers.js';

/** Keys one revision can hold (the history row id keeps 20 bits for the index within a revision). */
const KEYS_PER_REVISION = 1 << 20;

/** Writes, as another process could have, one revision that attaches KEYS_PER_REVISION keys to `lease`. */
function attachHugeRevision(path: string, revision: number, lease: string): void {
  const raw = new Database(path);
  try {
    raw.transaction(() => {
      raw.exec(`
        CREATE TEMP TABLE n AS WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${KEYS_PER_REVISION - 1}) SELECT i FROM n;
        INSERT INTO history (id, key, deleted, create_rev, version, lease, prev, value)
          SELECT (${revision} << 20) | i, printf('/big/%07d', i), 0, ${revision}, 1, ${lease}, 0, x'00' FROM n;
        INSERT INTO current (key, create_rev, mod_rev, version, lease, value)
          SELECT printf('/big/%07d', i), ${revision}, ${revision}, 1, ${lease}, x'00' FROM n;
        DROP TABLE n;`);
    })();
  } finally {
    raw.close();
  }
}

describe('a lease with more keys than one revision can delete', () => {
  let t: Opened | undefined;
  afterEach(async () => {
    await t?.close();
  });

  it('revoke fails with InvalidArgument writing nothing; its expiry is put off without holding up other leases', async () => {
    const clock = new ManualClock();
    t = await openTemp({ clock });
    const b = t.backend;
    const big = await b.grantLease(10);
    const small = await b.grantLease(20);
    await b.optimisticPut('/small', enc('s'), 0, { leaseId: small.id }); // 2
    attachHugeRevision(t.path, 3, big.id);
    expect(await b.count('/big/')).toBe(KEYS_PER_REVISION);

    const err = await b.revokeLease(big.id).catch((e: unknown) => e);
    expect(isBackendError(err, 'InvalidArgument')).toBe(true);
    expect((err as Error).message).toMatch(new RegExp(`lease ${big.id} .*too many keys`));
    expect((await b.status()).revision).toBe(3);

    clock.advance(20_000);
    expect((await b.get('/small')).kv).toBeNull();
    expect((await b.status()).revision).toBe(4);
    expect(await b.count('/big/')).toBe(KEYS_PER_REVISION);

    // Still retried later, at a bounded pace, without disturbing anything else.
    const other = await b.grantLease(5);
    await b.optimisticPut('/other', enc('o'), 0, { leaseId: other.id }); // 5
    clock.advance(120_000);
    expect((await b.get('/other')).kv).toBeNull();
    expect((await b.status()).revision).toBe(6);
    expect(await b.count('/big/')).toBe(KEYS_PER_REVISION);
  }, 30_000);
});
