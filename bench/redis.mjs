// Store over the Redis driver vs raw ioredis, same redis-server (no persistence), same run, RESP2 on both sides:
// create with 64 in flight vs one raw Lua compare-and-set script (plain EVALSHA, the fastest way ioredis sends a
// script), get vs a raw GET and a list of 10k objects vs raw ZRANGEBYLEX + MGET pages of 1000 (both auto-pipelined,
// ioredis' fastest setting for them). Both sides encode/decode JSON, as an application would.
import { createStore, newDefaultConfig } from '@storagebackend/core';
import { createRedisDriver } from '@storagebackend/driver-redis';
import { startRedis } from '@storagebackend/driver-redis/testing';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { measurePair, pod, ratioLine } from './lib.mjs';

const IN_FLIGHT = 64;
const OPS = 4_000;
const LIST_N = 10_000;
const PAGE = 1_000;
const name = (i) => `p-${String(i).padStart(6, '0')}`;

// The raw baseline's whole write: compare the key's version, then store value and version.
const RAW_CAS = `
local v = redis.call('HGET', KEYS[1], 'v') or '0'
if v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', tonumber(v) + 1, 'd', ARGV[2])
return 1`;

async function inFlight(n, total, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let i = next++; i < total; i = next++) await fn(i);
    }),
  );
}

export async function benchRedis(log) {
  const server = await startRedis();
  const raw = new Redis({ host: '127.0.0.1', port: server.port, protocol: 2, enableAutoPipelining: true, lazyConnect: true });
  const rawScripts = new Redis({ host: '127.0.0.1', port: server.port, protocol: 2, lazyConnect: true });
  await raw.connect();
  await rawScripts.connect();
  const casSha = createHash('sha1').update(RAW_CAS).digest('hex');
  await rawScripts.script('LOAD', RAW_CAS);
  const base = newDefaultConfig('/registry');
  const backend = await createRedisDriver().createBackend({
    ...base,
    type: 'redis',
    transport: { ...base.transport, serverList: [server.url()] },
    groupResource: { group: '', resource: 'pods' },
  });
  const store = createStore({ backend, prefix: '/registry', resourcePrefix: '/pods/' });
  try {
    let round = 0;
    const key = (side, r, i) => `${side}/r${r}/${name(i)}`;
    const [rawCreate, storeCreate] = await measurePair(
      OPS,
      (r) =>
        inFlight(IN_FLIGHT, OPS, async (i) => {
          const ok = await rawScripts.evalsha(casSha, 1, `raw:${key('c', r, i)}`, '0', JSON.stringify(pod('ns', `p-${i}`, i)));
          if (ok !== 1) throw new Error('exists');
        }),
      async (r) => {
        round = r;
        await inFlight(IN_FLIGHT, OPS, (i) => store.create(`/pods/${key('c', r, i)}`, pod('ns', `p-${i}`, i)));
      },
    );

    // Plain string keys for the raw GET side, written once.
    await inFlight(IN_FLIGHT, OPS, (i) => raw.set(`rawget:${i}`, JSON.stringify(pod('ns', `p-${i}`, i))));
    const [rawGet, storeGet] = await measurePair(
      OPS,
      () =>
        inFlight(IN_FLIGHT, OPS, async (i) => {
          JSON.parse((await raw.getBuffer(`rawget:${i}`)).toString('utf8'));
        }),
      () => inFlight(IN_FLIGHT, OPS, (i) => store.get(`/pods/${key('c', round, i)}`)),
    );

    // 10k objects for each side: raw keeps a zset of names plus one string per object.
    await inFlight(IN_FLIGHT, LIST_N, async (i) => {
      const v = JSON.stringify(pod('list', `p-${i}`, i));
      await raw.zadd('rawlist:idx', 0, name(i));
      await raw.set(`rawlist:${name(i)}`, v);
      await store.create(`/pods/list/${name(i)}`, pod('list', `p-${i}`, i));
    });
    const [rawList, storeList] = await measurePair(
      LIST_N,
      async () => {
        const items = [];
        let from = '-';
        for (;;) {
          const names = await raw.zrangebylex('rawlist:idx', from, '+', 'LIMIT', 0, PAGE);
          if (names.length === 0) break;
          const values = await raw.mgetBuffer(...names.map((n) => `rawlist:${n}`));
          for (const v of values) items.push(JSON.parse(v.toString('utf8')));
          if (names.length < PAGE) break;
          from = `(${names[names.length - 1]}`;
        }
        if (items.length !== LIST_N) throw new Error(`raw list: ${items.length}`);
      },
      async () => {
        const res = await store.getList('/pods/list/', { recursive: true });
        if (res.items.length !== LIST_N) throw new Error(`store list: ${res.items.length}`);
      },
      { rounds: 5, warmup: 1 },
    );

    log(`redis Store vs raw ioredis (redis-server ${server.port}, no persistence, ${IN_FLIGHT} in flight, same run):`);
    log(ratioLine('create (Lua CAS script)', storeCreate, rawCreate, 0.7));
    log(ratioLine('get', storeGet, rawGet, 0.7));
    log(ratioLine(`list of ${LIST_N} (objects/s)`, storeList, rawList, 0.6));
  } finally {
    await store.close();
    await backend.close();
    raw.disconnect();
    rawScripts.disconnect();
    await server.stop();
  }
}
