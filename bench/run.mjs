// Runs the benchmarks: `node --expose-gc bench/run.mjs [memory] [metrics] [etcd3] [sqlite] [redis]` (all by default).
import { benchMemory } from './memory.mjs';
import { benchMetrics } from './metrics.mjs';
import { benchEtcd3 } from './etcd3.mjs';
import { benchSqlite } from './sqlite.mjs';
import { benchRedis } from './redis.mjs';

const which = new Set(process.argv.slice(2));
const all = which.size === 0;
const log = (line) => console.log(line);
if (all || which.has('memory')) await benchMemory(log);
if (all || which.has('metrics')) await benchMetrics(log);
if (all || which.has('etcd3')) await benchEtcd3(log);
if (all || which.has('sqlite')) await benchSqlite(log);
if (all || which.has('redis')) await benchRedis(log);
