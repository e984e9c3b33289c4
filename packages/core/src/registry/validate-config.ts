import type { Config, ConfigForResource } from '../config/config.js';
import { ConfigFieldError } from '../config/config-field-error.js';
import { resourcePrefixOf } from '../config/default-config.js';

/** The duration fields of a Config (milliseconds). */
export const DURATION_FIELDS = [
  'compactionIntervalMs',
  'countMetricPollPeriodMs',
  'dbMetricPollIntervalMs',
  'eventsHistoryWindowMs',
  'healthcheckTimeoutMs',
  'readycheckTimeoutMs',
] as const;

const TLS_FILES = ['keyFile', 'certFile', 'trustedCAFile'] as const;

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the fields of a Config that do not depend on the resource; errors name the field. */
export function validateBaseConfig(config: Config): void {
  if (!isObject(config)) throw new ConfigFieldError('config', 'must be an object');
  if (typeof config.type !== 'string') throw new ConfigFieldError('type', 'must be a string');
  if (typeof config.prefix !== 'string') throw new ConfigFieldError('prefix', 'must be a string');
  const transport = config.transport;
  if (!isObject(transport)) throw new ConfigFieldError('transport', 'must be an object');
  if (!Array.isArray(transport.serverList)) throw new ConfigFieldError('transport.serverList', 'must be an array');
  if (transport.serverList.some((s) => typeof s !== 'string' || s === '')) {
    throw new ConfigFieldError('transport.serverList', 'entries must be non-empty strings');
  }
  for (const name of TLS_FILES) {
    if (typeof transport[name] !== 'string') throw new ConfigFieldError(`transport.${name}`, 'must be a file path string ("" for none)');
  }
  if (!config.codec || typeof config.codec.encode !== 'function' || typeof config.codec.decode !== 'function') {
    throw new ConfigFieldError('codec', 'must have encode and decode');
  }
  for (const name of DURATION_FIELDS) {
    const value = config[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new ConfigFieldError(name, `must be a non-negative number of milliseconds (got ${describe(value)})`);
    }
  }
  const lease = config.leaseManagerConfig;
  if (!isObject(lease)) throw new ConfigFieldError('leaseManagerConfig', 'must be an object');
  if (!Number.isSafeInteger(lease.reuseDurationSeconds) || lease.reuseDurationSeconds < 0) {
    throw new ConfigFieldError('leaseManagerConfig.reuseDurationSeconds', `must be a non-negative integer (got ${describe(lease.reuseDurationSeconds)})`);
  }
  if (!Number.isSafeInteger(lease.maxObjectCount)) {
    throw new ConfigFieldError('leaseManagerConfig.maxObjectCount', `must be an integer (got ${describe(lease.maxObjectCount)})`);
  }
  if (config.driverOptions !== undefined && !isObject(config.driverOptions)) {
    throw new ConfigFieldError('driverOptions', 'must be an object');
  }
}

/** Rejects configs the store cannot run with, before anything connects or writes. */
export function validateConfig(config: ConfigForResource): void {
  validateBaseConfig(config);
  if (!config.groupResource || typeof config.groupResource.resource !== 'string' || config.groupResource.resource === '') {
    if (config.resourcePrefix === undefined) throw new ConfigFieldError('groupResource.resource', 'is required (or resourcePrefix)');
  }
  const prefix = resourcePrefixOf(config);
  if (prefix === '/' || !prefix.startsWith('/')) {
    throw new ConfigFieldError('resourcePrefix', `${JSON.stringify(prefix)} must start with "/" and not be "/"`);
  }
}

/** A short, secret-free rendering of a bad value: numbers and short strings as they are, else the type. */
function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.length <= 32 ? JSON.stringify(value) : 'a long string';
  return value === null ? 'null' : typeof value;
}
