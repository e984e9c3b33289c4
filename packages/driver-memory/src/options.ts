import { ConfigError, type ConfigForResource } from '@storagebackend/core';

/** etcd's default progress notification interval. */
export const DEFAULT_PROGRESS_NOTIFY_INTERVAL_MS = 10 * 60_000;

/** The `driverOptions` the memory driver understands. */
export interface MemoryDriverSettings {
  readonly progressNotifyIntervalMs?: number;
  /** etcd's `--max-request-bytes` (default 1.5 MiB): larger writes fail as etcd's would. */
  readonly maxRequestBytes?: number;
  /** etcd's `--max-txn-ops` (default 128). */
  readonly maxTxnOps?: number;
}

const KNOWN = ['progressNotifyIntervalMs', 'maxRequestBytes', 'maxTxnOps'] as const;

export function checkPositiveInteger(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError('InvalidConfig', `memory driver: ${where} must be a positive integer, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

export function checkProgressInterval(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(
      'InvalidConfig',
      `memory driver: ${where} must be a positive number of milliseconds, got ${JSON.stringify(value) ?? String(value)}`,
    );
  }
  return value;
}

/** Validates `config.driverOptions`: known keys with the right types, nothing else. */
export function parseDriverOptions(raw: unknown): MemoryDriverSettings {
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('InvalidConfig', 'memory driver: driverOptions must be an object');
  }
  const settings: { -readonly [K in keyof MemoryDriverSettings]: MemoryDriverSettings[K] } = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(KNOWN as readonly string[]).includes(key)) {
      throw new ConfigError(
        'InvalidConfig',
        `memory driver: unknown driverOptions key ${JSON.stringify(key)} (known: ${KNOWN.join(', ')})`,
      );
    }
    if (value === undefined) continue;
    if (key === 'progressNotifyIntervalMs') settings.progressNotifyIntervalMs = checkProgressInterval(value, `driverOptions.${key}`);
    else settings[key as 'maxRequestBytes' | 'maxTxnOps'] = checkPositiveInteger(value, `driverOptions.${key}`);
  }
  return settings;
}

/** The store name: `transport.serverList[0]`. */
export function storeNameOf(config: ConfigForResource): string {
  const serverList: unknown = config?.transport?.serverList;
  if (!Array.isArray(serverList) || serverList.length === 0) {
    throw new ConfigError(
      'InvalidConfig',
      'memory driver: transport.serverList must name the store, e.g. ["test"]; backends given the same name share one store',
    );
  }
  const name: unknown = serverList[0];
  if (typeof name !== 'string' || name === '') {
    throw new ConfigError('InvalidConfig', 'memory driver: transport.serverList[0] must be a non-empty string naming the store');
  }
  return name;
}
