import { posix } from 'node:path';
import type { Config } from '@storagebackend/core';
import { EtcdClient } from './client/etcd-client.js';
import { encodeKey, toNumber } from './client/kv.js';
import { resolveClientOptions } from './options.js';

/**
 * Kubernetes `storage.Prober` for etcd: a read of `<prefix>/health` (found or not, both are healthy).
 *
 * @example
 * const prober = createEtcdProber(config);
 * await prober.probe(AbortSignal.timeout(config.healthcheckTimeoutMs)); // throws "error getting data from etcd: …"
 * await prober.close();
 */
export interface EtcdProber {
  probe(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * Kubernetes `metrics.Monitor` for etcd: the database size of a random member.
 *
 * @example
 * const { dbSizeBytes } = await createEtcdMonitor(config).monitor();
 */
export interface EtcdMonitor {
  monitor(signal?: AbortSignal): Promise<{ readonly dbSizeBytes: number }>;
  close(): Promise<void>;
}

export function createEtcdProber(config: Config): EtcdProber {
  const client = new EtcdClient(resolveClientOptions(config));
  const key = encodeKey(posix.join('/', config.prefix, 'health'));
  return {
    async probe(signal) {
      if (client.isClosed) throw new Error('closed');
      try {
        await client.range({ key, limit: 1 }, { signal });
      } catch (err) {
        throw new Error(`error getting data from etcd: ${(err as Error).message ?? String(err)}`, { cause: err });
      }
    },
    async close() {
      client.close();
    },
  };
}

export function createEtcdMonitor(config: Config): EtcdMonitor {
  const client = new EtcdClient(resolveClientOptions(config));
  return {
    async monitor(signal) {
      if (client.isClosed) throw new Error('closed');
      const index = Math.floor(Math.random() * client.endpoints.length);
      const res = await client.endpointStatus(index, { signal });
      return { dbSizeBytes: toNumber(res.dbSize) };
    },
    async close() {
      client.close();
    },
  };
}
