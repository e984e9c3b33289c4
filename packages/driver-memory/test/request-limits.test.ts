import { isBackendError } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import { memoryDriver } from '../src/index.js';
import { bytes, expectCode, memoryConfig } from './helpers.js';

describe('etcd request limits (maxRequestBytes, maxTxnOps)', () => {
  it('refuses writes over the configured limits with etcd wording and writes nothing', async () => {
    const backend = await memoryDriver.createBackend(memoryConfig('limits-small', { maxRequestBytes: 1000, maxTxnOps: 2 }));
    try {
      const big = await expectCode(backend.optimisticPut('/registry/a', new Uint8Array(2000), 0), 'RequestTooLarge');
      expect(big.message).toBe('etcdserver: request is too large');
      const put = (key: string) => ({ type: 'put' as const, key, value: bytes('v') });
      const many = await expectCode(backend.txn!({ compare: [], success: [put('/registry/x'), put('/registry/y'), put('/registry/z')], failure: [] }), 'InvalidArgument');
      expect(many.message).toBe('etcdserver: too many operations in txn request');
      await expectCode(backend.txn!({ compare: [], success: [{ type: 'put', key: '/registry/b', value: new Uint8Array(1500) }], failure: [] }), 'RequestTooLarge');
      expect((await backend.status()).revision, 'nothing written').toBe(1);
      expect((await backend.optimisticPut('/registry/a', new Uint8Array(900), 0)).succeeded).toBe(true);
    } finally {
      await backend.close();
    }
  });

  it('defaults to etcd\'s 1.5 MiB and 128 ops', async () => {
    const backend = await memoryDriver.createBackend(memoryConfig('limits-default'));
    try {
      const err = await backend.optimisticPut('/registry/a', new Uint8Array(1.5 * 1024 * 1024), 0).catch((e: unknown) => e);
      expect(isBackendError(err, 'RequestTooLarge')).toBe(true);
      expect((await backend.optimisticPut('/registry/a', new Uint8Array(1.5 * 1024 * 1024 - 100), 0)).succeeded).toBe(true);
    } finally {
      await backend.close();
    }
  });

  it('names a bad limit in driverOptions', async () => {
    await expect(memoryDriver.createBackend(memoryConfig('limits-bad', { maxRequestBytes: -1 }))).rejects.toThrow(
      'memory driver: driverOptions.maxRequestBytes must be a positive integer, got -1',
    );
  });
});
