// The Store with the Prometheus recorder vs the bare Store (memory backend, same run, alternating rounds): the cost
// of metrics on the two hottest calls. Memory is the backend where that cost shows most.
import { createStore } from '@storagebackend/core';
import { MemoryBackend } from '@storagebackend/driver-memory';
import { prometheusRecorder } from '@storagebackend/prometheus';
import { Registry } from 'prom-client';
import { measurePair, pod, ratioLine } from './lib.mjs';

const N = 20_000;
const name = (i) => `p-${String(i).padStart(6, '0')}`;
const groupResource = { group: '', resource: 'pods' };

export async function benchMetrics(log) {
  const stores = { bare: undefined, metered: undefined };
  const backends = [];
  const open = (metrics) => {
    const backend = new MemoryBackend();
    backends.push(backend);
    return createStore({ backend, prefix: '/registry', resourcePrefix: '/pods/', groupResource, ...(metrics ? { metrics } : {}) });
  };
  const recorder = prometheusRecorder({ registry: new Registry() });
  const createAll = async (which, metrics) => {
    stores[which] = open(metrics);
    for (let i = 0; i < N; i++) await stores[which].create(`/pods/ns/${name(i)}`, pod('ns', name(i), i));
  };
  const [bareCreate, meteredCreate] = await measurePair(N, () => createAll('bare'), () => createAll('metered', recorder));
  const getAll = async (which) => {
    for (let i = 0; i < N; i++) await stores[which].get(`/pods/ns/${name(i)}`);
  };
  const [bareGet, meteredGet] = await measurePair(N, () => getAll('bare'), () => getAll('metered'));
  for (const backend of backends) await backend.close();

  log('memory Store with the Prometheus recorder vs the bare Store (same run, alternating rounds):');
  log(ratioLine('create with metrics', meteredCreate, bareCreate, 0.9));
  log(ratioLine('get with metrics', meteredGet, bareGet, 0.9));
}
