import { ConfigError, ManualClock } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import { createMemoryDriver, memoryDriver, MemoryBackend } from '../src/index.js';
import { bytes, expectCode, memoryConfig, nextOrPending, text } from './helpers.js';

describe('memoryDriver', () => {
  it('has type memory and builds MemoryBackends with every capability', async () => {
    expect(memoryDriver.type).toBe('memory');
    const backend = await memoryDriver.createBackend(memoryConfig(`caps-${Math.random()}`));
    expect(backend).toBeInstanceOf(MemoryBackend);
    expect(backend.capabilities).toEqual({ leases: true, progressNotify: true, requestProgress: true, txn: true, compaction: true });
    await backend.close();
  });

  it('backends with the same name share one store and one revision sequence; other names are isolated', async () => {
    const name = `shared-${Math.random()}`;
    const pods = await memoryDriver.createBackend(memoryConfig(name));
    const nodes = await memoryDriver.createBackend({ ...memoryConfig(name), groupResource: { group: '', resource: 'nodes' } });
    const other = await memoryDriver.createBackend(memoryConfig(`${name}-other`));
    const p = await pods.optimisticPut('/registry/pods/a', bytes('pod'), 0);
    const n = await nodes.optimisticPut('/registry/nodes/a', bytes('node'), 0);
    expect([p.revision, n.revision]).toEqual([2, 3]);
    expect(text((await nodes.get('/registry/pods/a')).kv!.value)).toBe('pod');
    expect((await other.get('/registry/pods/a')).kv).toBeNull();
    expect((await other.status()).revision).toBe(1);
    await Promise.all([pods.close(), nodes.close(), other.close()]);
  });

  it('the store lives while any handle is open and is dropped with the last one', async () => {
    const name = `refcount-${Math.random()}`;
    const first = await memoryDriver.createBackend(memoryConfig(name));
    const second = await memoryDriver.createBackend(memoryConfig(name));
    await first.optimisticPut('/k', bytes('x'), 0);
    const watch = first.watch('/k', { startRevision: 0 })[Symbol.asyncIterator]();
    await first.close();
    await first.close();
    expect(await watch.next()).toEqual({ done: true, value: undefined });
    await expectCode(first.get('/k'), 'Closed');
    expect((await second.get('/k')).kv).not.toBeNull();
    await second.close();
    const fresh = await memoryDriver.createBackend(memoryConfig(name));
    expect((await fresh.get('/k')).kv).toBeNull();
    expect((await fresh.status()).revision).toBe(1);
    await fresh.close();
  });

  it('drivers from createMemoryDriver have their own namespace and clock', async () => {
    const clock = new ManualClock();
    const driver = createMemoryDriver({ clock });
    const name = `ns-${Math.random()}`;
    const mine = await driver.createBackend(memoryConfig(name));
    const global = await memoryDriver.createBackend(memoryConfig(name));
    const sibling = await driver.createBackend(memoryConfig(name));
    const lease = await mine.grantLease(30);
    await mine.optimisticPut('/k', bytes('x'), 0, { leaseId: lease.id });
    expect((await global.get('/k')).kv).toBeNull();
    await mine.close();
    clock.advance(30_000);
    expect((await sibling.get('/k')).kv, 'the lease expired on the driver clock, in the still-open store').toBeNull();
    expect((await sibling.status()).revision).toBe(3);
    await Promise.all([sibling.close(), global.close()]);
  });

  it('requestProgress reaches the watches of the handle it was called on', async () => {
    const name = `progress-${Math.random()}`;
    const a = await memoryDriver.createBackend(memoryConfig(name));
    const b = await memoryDriver.createBackend(memoryConfig(name));
    const onA = a.watch('/', { prefix: true, startRevision: 0 })[Symbol.asyncIterator]();
    const onB = b.watch('/', { prefix: true, startRevision: 0 })[Symbol.asyncIterator]();
    await a.requestProgress();
    expect(await nextOrPending(onA)).toMatchObject({ value: { progressNotify: true } });
    expect(await nextOrPending(onB)).toBe('pending');
    await Promise.all([a.close(), b.close()]);
  });

  it('driverOptions.progressNotifyIntervalMs sets the interval for that backend', async () => {
    const clock = new ManualClock();
    const driver = createMemoryDriver({ clock, progressNotifyIntervalMs: 60_000 });
    const backend = await driver.createBackend(memoryConfig('interval', { progressNotifyIntervalMs: 100 }));
    const watch = backend.watch('/', { prefix: true, startRevision: 0, progressNotify: true })[Symbol.asyncIterator]();
    clock.advance(100);
    expect(await nextOrPending(watch)).toMatchObject({ value: { progressNotify: true, revision: 1 } });
    await backend.close();
  });
});

describe('bad configuration', () => {
  const invalid = async (promise: Promise<unknown>, message: RegExp) => {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: 'InvalidConfig' });
    expect((err as Error).message).toMatch(message);
  };

  it('rejects an empty or missing store name', async () => {
    await invalid(memoryDriver.createBackend(memoryConfig(null)), /serverList/);
    await invalid(memoryDriver.createBackend(memoryConfig('')), /serverList\[0\]/);
  });

  it('rejects unknown driverOptions keys and mistyped values', async () => {
    await invalid(memoryDriver.createBackend(memoryConfig('x', { synchronous: 'FULL' })), /unknown driverOptions key "synchronous"/);
    await invalid(memoryDriver.createBackend(memoryConfig('x', { progressNotifyIntervalMs: '100' })), /progressNotifyIntervalMs/);
    await invalid(memoryDriver.createBackend(memoryConfig('x', { progressNotifyIntervalMs: -5 })), /positive/);
  });

  it('rejects a bad interval given to the factory or the constructor', () => {
    expect(() => createMemoryDriver({ progressNotifyIntervalMs: 0 })).toThrow(ConfigError);
    expect(() => new MemoryBackend({ progressNotifyIntervalMs: Number.NaN })).toThrow(ConfigError);
  });
});
