// Store over the etcd3 driver vs the raw etcd3 client, same etcd, same run: create (txn) and get with 64 in
// flight, and a list of 10k objects. Both sides encode/decode JSON, as an application would.
import { createStore, newDefaultConfig } from '@storagebackend/core';
import { etcd3Driver } from '@storagebackend/driver-etcd3';
import { startEtcd } from '@storagebackend/driver-etcd3/testing';
import { Etcd3 } from 'etcd3';
import { NoopPolicy } from 'cockatiel';
import { measurePair, pod, ratioLine } from './lib.mjs';

const IN_FLIGHT = 64;
const OPS = 4_000;
const LIST_N = 10_000;

async function inFlight(n, total, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let i = next++; i < total; i = next++) await fn(i);
    }),
  );
}

export async function benchEtcd3(log) {
  const etcd = await startEtcd({ progressNotifyIntervalMs: 60_000 });
  const raw = new Etcd3({
    hosts: etcd.endpoint,
    faultHandling: { host: () => new NoopPolicy(), global: new NoopPolicy() },
    grpcOptions: { 'grpc.max_receive_message_length': -1 },
  });
  const base = newDefaultConfig('/registry');
  const backend = await etcd3Driver.createBackend({
    ...base,
    type: 'etcd3',
    transport: { ...base.transport, serverList: [etcd.endpoint] },
    groupResource: { group: '', resource: 'pods' },
  });
  const store = createStore({ backend, prefix: '/registry', resourcePrefix: '/pods/' });
  try {
    let round = 0;
    const key = (side, r, i) => `${side}/r${r}/p-${String(i).padStart(6, '0')}`;
    const [rawCreate, storeCreate] = await measurePair(
      OPS,
      (r) =>
        inFlight(IN_FLIGHT, OPS, async (i) => {
          const k = `/registry/raw/${key('c', r, i)}`;
          const v = Buffer.from(JSON.stringify(pod('ns', `p-${i}`, i)));
          const res = await raw.if(k, 'Mod', '==', 0).then(raw.put(k).value(v)).else(raw.get(k)).commit();
          if (!res.succeeded) throw new Error('exists');
        }),
      async (r) => {
        round = r;
        await inFlight(IN_FLIGHT, OPS, (i) => store.create(`/pods/${key('c', r, i)}`, pod('ns', `p-${i}`, i)));
      },
    );
    const [rawGet, storeGet] = await measurePair(
      OPS,
      () =>
        inFlight(IN_FLIGHT, OPS, async (i) => {
          const buf = await raw.get(`/registry/raw/${key('c', round, i)}`).buffer();
          JSON.parse(buf.toString('utf8'));
        }),
      () => inFlight(IN_FLIGHT, OPS, (i) => store.get(`/pods/${key('c', round, i)}`)),
    );

    // 10k objects under one prefix for each side.
    await inFlight(IN_FLIGHT, LIST_N, async (i) => {
      const v = Buffer.from(JSON.stringify(pod('list', `p-${i}`, i)));
      await raw.put(`/registry/rawlist/p-${String(i).padStart(6, '0')}`).value(v);
      await store.create(`/pods/list/p-${String(i).padStart(6, '0')}`, pod('list', `p-${i}`, i));
    });
    const [rawList, storeList] = await measurePair(
      LIST_N,
      async () => {
        const res = await raw.getAll().prefix('/registry/rawlist/').exec();
        const items = res.kvs.map((kv) => JSON.parse(kv.value.toString('utf8')));
        if (items.length !== LIST_N) throw new Error(`raw list: ${items.length}`);
      },
      async () => {
        const res = await store.getList('/pods/list/', { recursive: true });
        if (res.items.length !== LIST_N) throw new Error(`store list: ${res.items.length}`);
      },
      { rounds: 5, warmup: 1 },
    );

    log(`etcd3 Store vs raw etcd3 client (etcd 3.4 on /dev/shm, ${IN_FLIGHT} in flight, same run):`);
    log(ratioLine('create (txn)', storeCreate, rawCreate, 0.9));
    log(ratioLine('get', storeGet, rawGet, 0.9));
    log(ratioLine(`list of ${LIST_N} (objects/s)`, storeList, rawList, 0.8));
  } finally {
    await store.close();
    await backend.close();
    raw.close();
    await etcd.stop();
  }
}
