import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3Backend } from '../src/backend.js';
import { startEtcd, type EtcdServer } from '../src/testing/index.js';
import { WatchReader, backendFor, currentRevision, enc } from './helpers.js';

let etcd: EtcdServer;
let backend: Etcd3Backend;

beforeAll(async () => {
  etcd = await startEtcd();
  backend = await backendFor(etcd.endpoint);
});

afterAll(async () => {
  await backend?.close();
  await etcd?.stop();
});

describe('one AbortSignal shared by many calls', () => {
  it('prints no MaxListenersExceededWarning, and aborting it still ends every watch', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const shutdown = new AbortController();
      const signal = shutdown.signal;
      const p = '/registry/shared/';
      await backend.optimisticPut(`${p}a`, enc('v'), 0);
      const start = (await currentRevision(backend)) + 1;
      const readers = Array.from({ length: 15 }, () => new WatchReader(backend.watch(p, { prefix: true, startRevision: start, signal })));
      await Promise.all([
        ...Array.from({ length: 50 }, () => backend.get(`${p}a`, { signal })),
        ...Array.from({ length: 15 }, () => backend.list(p, { signal })),
        ...Array.from({ length: 15 }, () => backend.count(p, { signal })),
        ...Array.from({ length: 15 }, () => backend.status({ signal })), // several reads under one budget each
        ...Array.from({ length: 15 }, (_, i) => backend.optimisticPut(`${p}w-${i}`, enc('v'), 0, { signal })),
      ]);
      for (const reader of readers) expect((await reader.nextEvents()).events.length).toBeGreaterThan(0);
      shutdown.abort();
      for (const reader of readers) expect((await reader.nextResult())?.done).toBe(true);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map(String)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
