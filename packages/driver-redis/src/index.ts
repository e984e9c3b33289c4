export { createRedisDriver, redisDriver, type RedisDriver } from './driver.js';
export { RedisBackend } from './redis-backend.js';
export { DEFAULT_SETTINGS, type RedisSettings } from './options.js';
export { StoreEpochError } from './errors.js';
