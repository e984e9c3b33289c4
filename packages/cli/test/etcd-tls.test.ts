import { generateTestCertificates, startEtcd, type EtcdServer, type TestCertificates } from '@storagebackend/driver-etcd3/testing';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, run, tempDir } from './storagectl.js';

describe('storagectl on etcd with TLS and client certificates, from the environment or a config file', () => {
  const temp = tempDir('storagectl-tls-');
  let etcd: EtcdServer;
  let certs: TestCertificates;
  beforeAll(async () => {
    certs = await generateTestCertificates(temp.dir);
    etcd = await startEtcd({ tls: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, trustedCAFile: certs.caFile, clientCertAuth: true } });
  }, 60_000);
  afterAll(async () => {
    await etcd?.stop();
    temp.remove();
  });

  it('STORAGECTL_CACERT / _CERT / _KEY reach the driver', async () => {
    const env = {
      STORAGECTL_BACKEND: etcd.endpoint,
      STORAGECTL_CACERT: certs.caFile,
      STORAGECTL_CERT: certs.clientCertFile,
      STORAGECTL_KEY: certs.clientKeyFile,
    };
    expect(etcd.endpoint).toMatch(/^https:/);
    await ok(['create', '-f', '-'], { cwd: temp.dir, env, input: 'kind: Pod\nmetadata: {name: secure}\n' });
    expect((await ok(['get', 'pods', 'secure', '-o', 'name'], { cwd: temp.dir, env })).trim()).toBe('pods/secure');
  });

  it('the transport section of a config file does the same', async () => {
    const file = join(temp.dir, 'tls.yaml');
    writeFileSync(
      file,
      `backend: ${etcd.endpoint}\ntransport:\n  trustedCAFile: ${certs.caFile}\n  certFile: ${certs.clientCertFile}\n  keyFile: ${certs.clientKeyFile}\n`,
    );
    expect(await ok(['--config', file, 'health'], { cwd: temp.dir })).toMatch(/is healthy/);
  });

  it('without the client certificate the server refuses, and storagectl says so within seconds', async () => {
    const result = await run(['--backend', etcd.endpoint, '--request-timeout', '3s', 'list'], { cwd: temp.dir, env: { STORAGECTL_CACERT: certs.caFile } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^(Unable to connect to the server|error): /);
    expect(result.ms).toBeLessThan(10_000);
  });
});
