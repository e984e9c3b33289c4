import type { ConfigForResource } from '../config/config.js';
import { resourcePrefixOf } from '../config/default-config.js';
import { ConfigError } from '../errors/internal-error.js';

const DURATIONS = [
  'compactionIntervalMs',
  'countMetricPollPeriodMs',
  'dbMetricPollIntervalMs',
  'eventsHistoryWindowMs',
  'healthcheckTimeoutMs',
  'readycheckTimeoutMs',
] as const;

function invalid(message: string): never {
  throw new ConfigError('InvalidConfig', `invalid storage config: ${message}`);
}

/** Rejects configs the store cannot run with, before anything connects or writes. */
export function validateConfig(config: ConfigForResource): void {
  if (typeof config !== 'object' || config === null) invalid('config must be an object');
  if (typeof config.type !== 'string') invalid('type must be a string');
  if (typeof config.prefix !== 'string') invalid('prefix must be a string');
  const transport = config.transport;
  if (!transport || !Array.isArray(transport.serverList)) invalid('transport.serverList must be an array');
  if (transport.serverList.some((s) => typeof s !== 'string' || s === '')) {
    invalid('transport.serverList entries must be non-empty strings');
  }
  if (!config.codec || typeof config.codec.encode !== 'function' || typeof config.codec.decode !== 'function') {
    invalid('codec must have encode and decode');
  }
  for (const name of DURATIONS) {
    const value = config[name];
    if (!Number.isFinite(value) || value < 0) invalid(`${name} must be a non-negative number of milliseconds`);
  }
  const lease = config.leaseManagerConfig;
  if (!lease || !Number.isSafeInteger(lease.reuseDurationSeconds) || lease.reuseDurationSeconds < 0) {
    invalid('leaseManagerConfig.reuseDurationSeconds must be a non-negative integer');
  }
  if (!Number.isSafeInteger(lease.maxObjectCount)) invalid('leaseManagerConfig.maxObjectCount must be an integer');
  if (!config.groupResource || typeof config.groupResource.resource !== 'string' || config.groupResource.resource === '') {
    if (config.resourcePrefix === undefined) invalid('groupResource.resource (or resourcePrefix) is required');
  }
  const prefix = resourcePrefixOf(config);
  if (prefix === '/' || !prefix.startsWith('/')) invalid(`resourcePrefix ${JSON.stringify(prefix)} must start with "/" and not be "/"`);
}
