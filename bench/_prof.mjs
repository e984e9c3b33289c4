import { createStore, newDefaultConfig } from '@storagebackend/core';
import { memoryDriver } from '@storagebackend/driver-memory';
import { pod } from '/work/main/bench/lib.mjs';
const base = newDefaultConfig('/registry');
const N = 20000;
let t;
for (let r = 0; r < 4; r++) {
const b = await memoryDriver.createBackend({ ...base, type: 'memory', transport: { ...base.transport, serverList: ['x'+r] }, groupResource: { group: '', resource: 'pods' } });
const store = createStore({ backend: b, prefix: '/registry', resourcePrefix: '/pods/' });
t = performance.now();
for (let i = 0; i < N; i++) await store.create(`/pods/ns/p-${String(i).padStart(6, '0')}`, pod('ns', `p-${i}`, i));
console.log('create', (N / (performance.now() - t) * 1000) | 0);
t = performance.now();
let token;
do { const page = await store.getList('/pods/', { recursive: true, predicate: { limit: 100, continue: token } }); token = page.metadata.continue; } while (token);
console.log('list', (N / (performance.now() - t) * 1000) | 0);
await b.close();
}
