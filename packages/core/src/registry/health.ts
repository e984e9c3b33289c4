import type { Backend } from '../backend/types.js';
import type { Config, ConfigForResource } from '../config/config.js';
import { cleanPath } from '../store/keys.js';
import { normalizeStorageType, type DriverRegistry } from './driver-registry.js';

/** A health probe against the backend (Kubernetes `Prober`). */
export interface Prober {
  probe(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** Reports the backend's database size (Kubernetes `metrics.Monitor`). */
export interface Monitor {
  monitor(signal?: AbortSignal): Promise<{ readonly size: number }>;
  close(): Promise<void>;
}

/**
 * A rate-limited health check (`/healthz` etcd check): probes at most every timeout/2 and otherwise returns the last
 * result; before the first successful connection it reports that the client is not yet established.
 */
export interface HealthCheck {
  check(): Promise<void>;
  close(): Promise<void>;
}

const asResource = (config: Config): ConfigForResource => ({
  ...config,
  groupResource: { group: '', resource: 'health' },
});

function probeError(type: string, err: unknown): Error {
  const name = normalizeStorageType(type) === 'etcd3' ? 'etcd' : normalizeStorageType(type);
  return new Error(`error getting data from ${name}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

export async function createProberWith(registry: DriverRegistry, config: Config): Promise<Prober> {
  const backend = await registry.createBackend(asResource(config));
  return proberOver(backend, config);
}

function proberOver(backend: Backend, config: Config): Prober {
  const healthKey = cleanPath(`/${config.prefix}/health`);
  let closed = false;
  return {
    async probe(signal) {
      if (closed) throw new Error('closed');
      try {
        await backend.get(healthKey, signal ? { signal } : {});
      } catch (err) {
        throw probeError(config.type, err);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
}

export async function createMonitorWith(registry: DriverRegistry, config: Config): Promise<Monitor> {
  const backend = await registry.createBackend(asResource(config));
  let closed = false;
  return {
    async monitor(signal) {
      if (closed) throw new Error('closed');
      const status = await backend.status(signal ? { signal } : {});
      return { size: status.dbSizeBytes };
    },
    async close() {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
}

export function createCheckWith(registry: DriverRegistry, config: Config, timeoutMs: number): HealthCheck {
  const timeout = timeoutMs > 0 ? timeoutMs : 2000;
  let prober: Prober | undefined;
  let clientError: Error = new Error('storage client connection not yet established');
  let connecting: Promise<void> | undefined;
  let closed = false;
  let lastProbeAt = -Infinity;
  let lastResult: Promise<void> = Promise.reject(clientError);
  lastResult.catch(() => {});

  const connect = () =>
    (connecting ??= createProberWith(registry, config).then(
      (p) => {
        if (closed) return void p.close();
        prober = p;
      },
      (err: unknown) => {
        clientError = err instanceof Error ? err : new Error(String(err));
        connecting = undefined; // retried on the next check
      },
    ));

  return {
    async check() {
      if (closed) throw new Error('server is shutting down');
      if (!prober) {
        await connect();
        if (!prober) throw clientError;
      }
      const now = Date.now();
      if (now - lastProbeAt < timeout / 2) return lastResult;
      lastProbeAt = now;
      lastResult = prober.probe(AbortSignal.timeout(timeout));
      lastResult.catch(() => {});
      return lastResult;
    },
    async close() {
      closed = true;
      await prober?.close();
    },
  };
}
