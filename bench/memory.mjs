// Memory Store vs a Map + JSON baseline, in the same run: create, get, paginated list.
import { createStore } from '@storagebackend/core';
import { MemoryBackend, memoryDriver } from '@storagebackend/driver-memory';
import { newDefaultConfig } from '@storagebackend/core';
import { measure, pod, ratioLine } from './lib.mjs';

const N = 20_000;
const PAGE = 100;

async function backend(name) {
  const base = newDefaultConfig('/registry');
  return memoryDriver.createBackend({
    ...base,
    type: 'memory',
    transport: { ...base.transport, serverList: [name] },
    groupResource: { group: '', resource: 'pods' },
  });
}

export async function benchMemory(log) {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  // Baseline: what an app would do by hand — JSON in a Map, with an existence check and a sorted key index for lists.
  let map;
  const baseCreate = await measure('map create', N, () => {
    map = new Map();
    for (let i = 0; i < N; i++) {
      const key = `/registry/pods/ns/p-${String(i).padStart(6, '0')}`;
      if (map.has(key)) throw new Error('exists');
      map.set(key, enc.encode(JSON.stringify(pod('ns', `p-${i}`, i))));
    }
  });
  const baseGet = await measure('map get', N, () => {
    for (let i = 0; i < N; i++) {
      const v = map.get(`/registry/pods/ns/p-${String(i).padStart(6, '0')}`);
      JSON.parse(dec.decode(v));
    }
  });
  const sortedKeys = [...map.keys()].sort();
  const baseList = await measure('map list', N, () => {
    for (let start = 0; start < sortedKeys.length; start += PAGE) {
      const page = sortedKeys.slice(start, start + PAGE).map((k) => JSON.parse(dec.decode(map.get(k))));
      if (page.length === 0) throw new Error('empty');
    }
  });

  let round = 0;
  let store;
  let current;
  const storeCreate = await measure('store create', N, async () => {
    await current?.close();
    const b = await backend(`bench-create-${round++}`);
    current = b;
    store = createStore({ backend: b, prefix: '/registry', resourcePrefix: '/pods/' });
    for (let i = 0; i < N; i++) {
      await store.create(`/pods/ns/p-${String(i).padStart(6, '0')}`, pod('ns', `p-${i}`, i));
    }
  });
  const storeGet = await measure('store get', N, async () => {
    for (let i = 0; i < N; i++) await store.get(`/pods/ns/p-${String(i).padStart(6, '0')}`);
  });
  const storeList = await measure('store paginated list', N, async () => {
    let token;
    do {
      const page = await store.getList('/pods/', { recursive: true, predicate: { limit: PAGE, continue: token } });
      token = page.metadata.continue;
    } while (token);
  });

  await current?.close();
  log('memory Store vs Map+JSON baseline (same run, sequential awaits):');
  log(ratioLine('create', storeCreate, baseCreate, 0.35));
  log(ratioLine('get', storeGet, baseGet, 0.6));
  log(ratioLine(`paginated list (pages of ${PAGE})`, storeList, baseList));
  return {
    create: storeCreate.opsPerSec / baseCreate.opsPerSec,
    get: storeGet.opsPerSec / baseGet.opsPerSec,
    list: storeList.opsPerSec / baseList.opsPerSec,
  };
}

void MemoryBackend;
