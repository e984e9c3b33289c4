import { ConfigError, DEFAULT_MAX_REQUEST_BYTES, systemClock, type Clock } from '@storagebackend/core';

/**
 * SQLite `synchronous` levels the driver accepts. NORMAL (WAL) survives process crashes but may lose the last
 * commits on power loss; FULL syncs every commit, like etcd's fsync.
 *
 * @example
 * const driverOptions = { synchronous: 'FULL' satisfies SqliteSynchronous };
 */
export type SqliteSynchronous = 'NORMAL' | 'FULL';

/**
 * Per-database settings; each may also be given as `config.driverOptions` (validated, unknown keys rejected).
 *
 * @example
 * const config = { ...base, type: 'sqlite', driverOptions: { synchronous: 'FULL', pollIntervalMs: 50 } };
 */
export interface SqliteSettings {
  /** `PRAGMA synchronous`; default `'NORMAL'`. */
  readonly synchronous: SqliteSynchronous;
  /** How long a write waits for another process's lock before failing with `Timeout`; default 10000. */
  readonly busyTimeoutMs: number;
  /**
   * How often writes by other processes are looked for (`PRAGMA data_version`); default 100. A compaction up to a
   * recent revision waits two of these intervals (at most 1 s) before removing history, so watches in processes
   * polling as often read everything first; processes sharing a file should use the same value.
   */
  readonly pollIntervalMs: number;
  /** Interval of progress notifications to idle watches that asked for them; default 5000. */
  readonly progressNotifyIntervalMs: number;
  /** History rows examined per compaction transaction; default 1000. */
  readonly compactBatchSize: number;
  /** etcd's `--max-request-bytes`: a write larger than this (as etcd measures it) fails `RequestTooLarge`; default 1.5 MiB. */
  readonly maxRequestBytes: number;
  /** etcd's `--max-txn-ops`: compares or operations per transaction branch; default 128. */
  readonly maxTxnOps: number;
}

/**
 * Options of `createSqliteDriver`: a clock for lease expiry and progress notifications, plus default settings.
 *
 * @example
 * const clock = new ManualClock();
 * const driver = createSqliteDriver({ clock, pollIntervalMs: 20 });
 */
export interface SqliteDriverOptions extends Partial<SqliteSettings> {
  readonly clock?: Clock;
}

/** The settings used where neither `createSqliteDriver` options nor `config.driverOptions` say otherwise. */
export const DEFAULT_SETTINGS: SqliteSettings = {
  synchronous: 'NORMAL',
  busyTimeoutMs: 10_000,
  pollIntervalMs: 100,
  progressNotifyIntervalMs: 5_000,
  compactBatchSize: 1_000,
  maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
  maxTxnOps: 128,
};

type Check = (value: unknown) => boolean;

const isInt = (min: number, max: number): Check => (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

const CHECKS: Record<keyof SqliteSettings, { readonly check: Check; readonly expected: string }> = {
  synchronous: { check: (v) => v === 'NORMAL' || v === 'FULL', expected: `'NORMAL' or 'FULL'` },
  busyTimeoutMs: { check: isInt(0, 600_000), expected: 'an integer from 0 to 600000' },
  pollIntervalMs: { check: isInt(1, 60_000), expected: 'an integer from 1 to 60000' },
  progressNotifyIntervalMs: { check: isInt(1, 86_400_000), expected: 'an integer from 1 to 86400000' },
  compactBatchSize: { check: isInt(1, 1_000_000), expected: 'an integer from 1 to 1000000' },
  maxRequestBytes: { check: isInt(1, 2 ** 31 - 1), expected: 'an integer from 1 to 2147483647' },
  maxTxnOps: { check: isInt(1, 1_000_000), expected: 'an integer from 1 to 1000000' },
};

/** Validates settings given by code or config; anything unknown or out of range is a ConfigError('InvalidConfig'). */
export function parseSettings(source: string, input: Readonly<Record<string, unknown>> | undefined, base: SqliteSettings): SqliteSettings {
  if (input === undefined || input === null) return base;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError('InvalidConfig', `sqlite: ${source} must be an object`);
  }
  const out: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const rule = (CHECKS as Record<string, (typeof CHECKS)[keyof SqliteSettings] | undefined>)[name];
    if (!rule) {
      const known = Object.keys(CHECKS).join(', ');
      throw new ConfigError('InvalidConfig', `sqlite: unknown ${source} option '${name}' (known: ${known})`);
    }
    if (!rule.check(value)) {
      throw new ConfigError('InvalidConfig', `sqlite: ${source} option '${name}' must be ${rule.expected}, got ${JSON.stringify(value)}`);
    }
    out[name] = value;
  }
  return out as unknown as SqliteSettings;
}

/** Splits driver options into the clock and validated default settings. */
export function parseDriverOptions(options: SqliteDriverOptions = {}): { clock: Clock; defaults: SqliteSettings } {
  const { clock = systemClock, ...settings } = options;
  if (typeof clock?.now !== 'function' || typeof clock?.setTimer !== 'function') {
    throw new ConfigError('InvalidConfig', 'sqlite: clock must implement now() and setTimer()');
  }
  return { clock, defaults: parseSettings('driver', settings, DEFAULT_SETTINGS) };
}
