import type { Backend } from '../backend/types.js';
import type { ConfigForResource } from '../config/config.js';
import { Compactor } from '../store/compactor.js';

interface PoolEntry {
  readonly compactor: Compactor;
  backend: Backend;
  refs: number;
}

const pool = new Map<string, PoolEntry>();

/** Equal transports (and types) mean the same servers, so they share one compactor (Kubernetes `startCompactorOnce`). */
export function transportKey(config: ConfigForResource): string {
  const t = config.transport;
  return JSON.stringify([config.type === '' ? 'etcd3' : config.type, t.serverList, t.keyFile, t.certFile, t.trustedCAFile]);
}

/**
 * One compactor per transport, refcounted; a smaller interval replaces a larger one. Interval 0 means no compactor.
 * Returns the compactor and a release function.
 */
export async function acquireCompactor(
  config: ConfigForResource,
  openBackend: () => Promise<Backend>,
): Promise<{ compactor: Compactor | undefined; release: () => Promise<void> }> {
  const interval = config.compactionIntervalMs;
  if (interval <= 0) return { compactor: undefined, release: async () => {} };
  const key = transportKey(config);
  let entry = pool.get(key);
  if (!entry) {
    const backend = await openBackend();
    entry = pool.get(key) ?? {
      compactor: new Compactor(backend, { intervalMs: interval, ...(backend.clock ? { clock: backend.clock } : {}) }),
      backend,
      refs: 0,
    };
    if (entry.backend !== backend) await backend.close();
    pool.set(key, entry);
    entry.compactor.start();
  } else if (interval < entry.compactor.intervalMs) {
    // In place, so stores holding this compactor keep observing compactions.
    entry.compactor.setInterval(interval);
  }
  entry.refs++;
  const held = entry;
  let released = false;
  return {
    compactor: held.compactor,
    release: async () => {
      if (released) return;
      released = true;
      held.refs--;
      if (held.refs > 0) return;
      pool.delete(key);
      await held.compactor.stop();
      await held.backend.close();
    },
  };
}
