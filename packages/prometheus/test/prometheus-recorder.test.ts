import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, isCorruptObject, isResourceExpired, newDefaultConfig, type ConfigForResource, type StorageObject } from '@storagebackend/core';
import { memoryDriver } from '@storagebackend/driver-memory';
import { register as globalRegistry, Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { K8S_LATENCY_BUCKETS, prometheusRecorder } from '../src/index.js';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Parses the text exposition format into samples. */
async function scrape(registry: Registry): Promise<{ text: string; samples: Sample[] }> {
  const text = await registry.metrics();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { text, samples };
}

const value = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

const pods = { group: '', resource: 'pods' };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function config(type: 'memory' | 'sqlite', registry: Registry): ConfigForResource {
  const base = newDefaultConfig('/registry');
  const dir = mkdtempSync(join(tmpdir(), 'sb-prom-'));
  dirs.push(dir);
  return {
    ...base,
    type,
    transport: { ...base.transport, serverList: [type === 'memory' ? `prom-${dirs.length}` : join(dir, 'data.db')] },
    groupResource: pods,
    compactionIntervalMs: 0,
    countMetricPollPeriodMs: 20,
    metrics: prometheusRecorder({ registry }),
  };
}

for (const type of ['memory', 'sqlite'] as const) {
  describe(`prometheus recorder on ${type}`, () => {
    it('records requests, lists, leases, watch events, decode errors, object counts and DB size under the Kubernetes names', async () => {
      const registry = new Registry();
      const { storage, destroy } = await create<StorageObject>(config(type, registry));
      try {
        for (const name of ['a', 'b', 'c']) {
          await storage.create(`/pods/ns/${name}`, { metadata: { name, labels: { app: name === 'a' ? 'web' : 'db' } } });
        }
        await storage.create('/pods/ns/ttl', { metadata: { name: 'ttl' } }, { ttlSeconds: 3600 });
        await storage.get('/pods/ns/a');
        await storage.guaranteedUpdate('/pods/ns/b', { tryUpdate: (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { app: 'x' } } }) });
        const list = await storage.getList('/pods/', { recursive: true, predicate: { label: 'app=web' } });
        expect(list.items).toHaveLength(1);
        const watch = await storage.watch('/pods/', { recursive: true, resourceVersion: list.metadata.resourceVersion });
        await storage.delete('/pods/ns/c');
        const it = watch[Symbol.asyncIterator]();
        expect((await it.next()).value?.type).toBe('DELETED');
        watch.stop();
        await new Promise((r) => setTimeout(r, 60));

        const { text, samples } = await scrape(registry);
        const gr = { group: '', resource: 'pods' };
        expect(value(samples, 'etcd_requests_total', { ...gr, operation: 'create' })).toBe(4);
        expect(value(samples, 'etcd_requests_total', { ...gr, operation: 'update' })).toBe(1);
        expect(value(samples, 'etcd_requests_total', { ...gr, operation: 'delete' })).toBe(1);
        expect(value(samples, 'etcd_requests_total', { ...gr, operation: 'list' })).toBe(1);
        expect(value(samples, 'etcd_request_duration_seconds_count', { ...gr, operation: 'create' })).toBe(4);
        const edges = samples
          .filter((s) => s.name === 'etcd_request_duration_seconds_bucket' && s.labels.operation === 'create')
          .map((s) => s.labels.le);
        expect(edges).toEqual([...K8S_LATENCY_BUCKETS.map(String), '+Inf']);
        expect(text).toContain('# HELP etcd_request_duration_seconds [ALPHA] Etcd request latency in seconds for each operation and object type.');
        expect(text).toContain('# TYPE etcd_request_duration_seconds histogram');
        expect(value(samples, 'apiserver_storage_list_total', { ...gr, storage: 'etcd', index: '' })).toBe(1);
        expect(value(samples, 'apiserver_storage_list_fetched_objects_total', { ...gr, storage: 'etcd' })).toBe(4);
        expect(value(samples, 'apiserver_storage_list_evaluated_objects_total', { ...gr, storage: 'etcd' })).toBe(4);
        expect(value(samples, 'apiserver_storage_list_returned_objects_total', { ...gr, storage: 'etcd' })).toBe(1);
        // The first lease grant observes the previous lease's 0 objects.
        expect(value(samples, 'etcd_lease_object_counts_count', {})).toBe(1);
        expect(value(samples, 'etcd_lease_object_counts_bucket', { le: '10' })).toBe(1);
        expect(value(samples, 'apiserver_storage_events_received_total', gr)).toBeGreaterThanOrEqual(1);
        expect(value(samples, 'apiserver_resource_objects', gr)).toBe(3);
        expect(value(samples, 'apiserver_storage_objects', { resource: 'pods' })).toBe(3);
        expect(text).toContain('# HELP apiserver_storage_objects [STABLE] (Deprecated since 1.34.0) [DEPRECATED, consider using apiserver_resource_objects instead]');
        expect(value(samples, 'apiserver_storage_size_bytes', { storage_cluster_id: 'etcd-0' })).toBeGreaterThan(0);
        expect(value(samples, 'etcd_request_errors_total', { ...gr, operation: 'create' })).toBeUndefined();
      } finally {
        await destroy();
      }
      const after = await scrape(registry);
      expect(value(after.samples, 'apiserver_resource_objects', { group: '', resource: 'pods' }), 'series removed on destroy').toBeUndefined();
      expect(value(after.samples, 'apiserver_storage_size_bytes', {})).toBeUndefined();
    });
  });
}

describe('prometheus recorder: failures and isolation', () => {
  it('counts failed requests and decode errors', async () => {
    const registry = new Registry();
    const cfg = config('memory', registry);
    const { storage, destroy } = await create<StorageObject>(cfg);
    // A second handle on the same named store, to write bytes no codec can read and to compact.
    const raw = await memoryDriver.createBackend(cfg);
    try {
      const created = await storage.create('/pods/ns/a', { metadata: { name: 'a' } });
      await storage.guaranteedUpdate('/pods/ns/a', { tryUpdate: (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { v: '2' } } }) });
      await raw.compact(Number(created.metadata.resourceVersion) + 1);
      const expired = await storage
        .getList('/pods/', { recursive: true, resourceVersion: created.metadata.resourceVersion, resourceVersionMatch: 'Exact' })
        .catch((e: unknown) => e);
      expect(isResourceExpired(expired)).toBe(true);
      await raw.optimisticPut('/registry/pods/ns/garbage', new TextEncoder().encode('not json'), 0);
      expect(isCorruptObject(await storage.get('/pods/ns/garbage').catch((e: unknown) => e))).toBe(true);
      const { samples } = await scrape(registry);
      const gr = { group: '', resource: 'pods' };
      expect(value(samples, 'etcd_request_errors_total', { ...gr, operation: 'list' })).toBe(1);
      expect(value(samples, 'etcd_requests_total', { ...gr, operation: 'list' })).toBe(1);
      expect(value(samples, 'apiserver_storage_decode_errors_total', gr)).toBe(1);
      // The failed list is still counted as a LIST served, with nothing fetched.
      expect(value(samples, 'apiserver_storage_list_total', { ...gr, storage: 'etcd' })).toBe(1);
      expect(value(samples, 'apiserver_storage_list_fetched_objects_total', { ...gr, storage: 'etcd' })).toBe(0);
    } finally {
      await raw.close();
      await destroy();
    }
  });

  it('registers nothing on import and nothing on the global registry', async () => {
    const before = await globalRegistry.metrics();
    const { metrics: _unused, ...withoutRecorder } = config('memory', new Registry());
    const { storage, destroy } = await create<StorageObject>(withoutRecorder);
    await storage.create('/pods/ns/a', { metadata: { name: 'a' } });
    await destroy();
    const registry = new Registry();
    const recorder = prometheusRecorder({ registry });
    recorder.recordRequest('get', pods, 0.01, false);
    expect(await registry.metrics()).toContain('etcd_requests_total{operation="get",group="",resource="pods"} 1');
    expect(await globalRegistry.metrics(), 'the global registry is never touched').toBe(before);
  });

  it('two recorders on one registry share its metrics instead of failing', async () => {
    const registry = new Registry();
    prometheusRecorder({ registry });
    expect(() => prometheusRecorder({ registry })).not.toThrow();
    expect(() => prometheusRecorder({} as never)).toThrow('prometheusRecorder needs { registry }: a prom-client Registry');
  });
});
