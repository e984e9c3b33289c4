import { ConfigError, DEFAULT_MAX_REQUEST_BYTES } from '@storagebackend/core';

/**
 * Per-backend settings, from `createRedisDriver` options or `config.driverOptions` (validated, unknown keys rejected).
 *
 * @example
 * const config = { ...base, type: 'redis', driverOptions: { keyspace: 'cluster-a', progressNotifyIntervalMs: 1000 } };
 */
export interface RedisSettings {
  /** Hash tag every key of the backend lives under (`{keyspace}:…`); backends with the same one share a store. Default 'storagebackend'. */
  readonly keyspace: string;
  /** Interval of progress notifications to idle watches that asked for them; default 5000. */
  readonly progressNotifyIntervalMs: number;
  /** Keys (or history members) one read or compaction script handles before returning; default 1000. */
  readonly pageBudget: number;
  /** How long a watch keeps retrying a lost connection before it ends with `Unreachable`; default 30000. */
  readonly watchReconnectTimeoutMs: number;
  /** How long a command waits for a connection before failing with `Unreachable`; default 10000. */
  readonly connectTimeoutMs: number;
  /** Longest pause between lease expiry sweeps; default 1000. */
  readonly leaseSweepIntervalMs: number;
  /** Writes etcd would measure larger than this fail with `RequestTooLarge`, as etcd's `--max-request-bytes`; default 1.5 MiB. */
  readonly maxRequestBytes: number;
}

export const DEFAULT_SETTINGS: RedisSettings = {
  keyspace: 'storagebackend',
  progressNotifyIntervalMs: 5_000,
  pageBudget: 1_000,
  watchReconnectTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  leaseSweepIntervalMs: 1_000,
  maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
};

type Check = (value: unknown) => boolean;
const isInt = (min: number, max: number): Check => (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

const RULES: Record<keyof RedisSettings, { readonly check: Check; readonly expected: string }> = {
  keyspace: {
    check: (v) => typeof v === 'string' && /^[A-Za-z0-9._:/-]{1,200}$/.test(v),
    expected: '1 to 200 characters from A-Z a-z 0-9 . _ : / -',
  },
  progressNotifyIntervalMs: { check: isInt(1, 86_400_000), expected: 'an integer from 1 to 86400000' },
  pageBudget: { check: isInt(2, 100_000), expected: 'an integer from 2 to 100000' },
  watchReconnectTimeoutMs: { check: isInt(0, 3_600_000), expected: 'an integer from 0 to 3600000' },
  connectTimeoutMs: { check: isInt(1, 600_000), expected: 'an integer from 1 to 600000' },
  leaseSweepIntervalMs: { check: isInt(10, 60_000), expected: 'an integer from 10 to 60000' },
  // Redis refuses bulk strings over 512 MB (proto-max-bulk-len).
  maxRequestBytes: { check: isInt(1, 512 * 1024 * 1024), expected: 'an integer from 1 to 536870912' },
};

/** Validates settings; anything unknown or out of range is a ConfigError('InvalidConfig'). */
export function parseSettings(source: string, input: unknown, base: RedisSettings): RedisSettings {
  if (input === undefined || input === null) return base;
  if (typeof input !== 'object' || Array.isArray(input)) throw new ConfigError('InvalidConfig', `redis: ${source} must be an object`);
  const out: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const rule = (RULES as Record<string, (typeof RULES)[keyof RedisSettings] | undefined>)[name];
    if (!rule) {
      throw new ConfigError('InvalidConfig', `redis: unknown ${source} option '${name}' (known: ${Object.keys(RULES).join(', ')})`);
    }
    if (!rule.check(value)) {
      throw new ConfigError('InvalidConfig', `redis: ${source} option '${name}' must be ${rule.expected}, got ${JSON.stringify(value)}`);
    }
    out[name] = value;
  }
  return out as unknown as RedisSettings;
}
