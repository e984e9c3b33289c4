import { configFromUrl, forResource } from '@storagebackend/core';
import { etcd3Driver } from '@storagebackend/driver-etcd3';
import { startEtcd, type EtcdServer } from '@storagebackend/driver-etcd3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSuite } from './command-suite.js';
import { ok, tempDir } from './storagectl.js';

describe('storagectl on a real etcd', () => {
  const temp = tempDir('storagectl-etcd-');
  let etcd: EtcdServer;
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
    temp.remove();
  });
  const url = () => etcd.endpoint.replace(/^http:/, 'etcd3:');

  commandSuite(() => ({ cwd: temp.dir, backendArgs: ['--backend', url()] }));

  it('keys are laid out as Kubernetes does: the raw etcd key is /registry/pods/default/web-0', async () => {
    // A raw etcd client (the reference driver's backend, no Store in between) reads the key storagectl wrote.
    const backend = await etcd3Driver.createBackend(forResource(configFromUrl(etcd.endpoint), { group: '', resource: 'pods' }));
    try {
      const { kv } = await backend.get('/registry/pods/default/web-0');
      expect(JSON.parse(new TextDecoder().decode(kv!.value))).toMatchObject({ kind: 'Pod', metadata: { name: 'web-0', namespace: 'default' } });
      // And what another client writes, storagectl reads.
      const value = new TextEncoder().encode('{"kind":"ConfigMap","metadata":{"name":"raw","namespace":"default"}}');
      expect((await backend.optimisticPut('/registry/configmaps/default/raw', value, 0)).succeeded).toBe(true);
    } finally {
      await backend.close();
    }
    expect((await ok(['--backend', etcd.endpoint, 'get', 'configmaps', 'raw', '-o', 'name'], { cwd: temp.dir })).trim()).toBe('configmaps/raw');
  });

  it('writes nothing to the working directory', async () => {
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(temp.dir).filter((f) => f.startsWith('storagectl.db'))).toEqual([]);
  });
});
