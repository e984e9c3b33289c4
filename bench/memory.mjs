// Memory Store vs a Map + JSON baseline, same run, alternating rounds: create, get, paginated list.
import { createStore } from '@storagebackend/core';
import { MemoryBackend } from '@storagebackend/driver-memory';
import { measurePair, pod, ratioLine } from './lib.mjs';

const N = 20_000;
const PAGE = 100;
const name = (i) => `p-${String(i).padStart(6, '0')}`;

export async function benchMemory(log) {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  // Baseline: what an app would do by hand — JSON bytes in a Map, an existence check on create, a sorted key
  // index for pages.
  let map = new Map();
  let backend;
  let store;
  const [baseCreate, storeCreate] = await measurePair(
    N,
    () => {
      map = new Map();
      for (let i = 0; i < N; i++) {
        const key = `/registry/pods/ns/${name(i)}`;
        if (map.has(key)) throw new Error('exists');
        map.set(key, enc.encode(JSON.stringify(pod('ns', name(i), i))));
      }
    },
    async () => {
      await backend?.close();
      backend = new MemoryBackend();
      store = createStore({ backend, prefix: '/registry', resourcePrefix: '/pods/' });
      for (let i = 0; i < N; i++) await store.create(`/pods/ns/${name(i)}`, pod('ns', name(i), i));
    },
  );
  const [baseGet, storeGet] = await measurePair(
    N,
    () => {
      for (let i = 0; i < N; i++) JSON.parse(dec.decode(map.get(`/registry/pods/ns/${name(i)}`)));
    },
    async () => {
      for (let i = 0; i < N; i++) await store.get(`/pods/ns/${name(i)}`);
    },
  );
  const sortedKeys = [...map.keys()].sort();
  const [baseList, storeList] = await measurePair(
    N,
    () => {
      for (let start = 0; start < sortedKeys.length; start += PAGE) {
        const page = sortedKeys.slice(start, start + PAGE).map((k) => JSON.parse(dec.decode(map.get(k))));
        if (page.length === 0) throw new Error('empty');
      }
    },
    async () => {
      let token;
      do {
        const page = await store.getList('/pods/', { recursive: true, predicate: { limit: PAGE, continue: token } });
        token = page.metadata.continue;
      } while (token);
    },
  );
  await backend?.close();

  log('memory Store vs Map+JSON baseline (same run, sequential awaits, alternating rounds):');
  log(ratioLine('create', storeCreate, baseCreate, 0.35));
  log(ratioLine('get', storeGet, baseGet, 0.6));
  log(ratioLine(`paginated list (pages of ${PAGE})`, storeList, baseList));
}
