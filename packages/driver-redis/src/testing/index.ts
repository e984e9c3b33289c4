export { freePort } from './free-port.js';
export { startRedis, type RedisServer, type RedisServerOptions } from './start-redis.js';
