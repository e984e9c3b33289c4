import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendError, ConfigError } from '@storagebackend/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcd3Driver } from '../src/driver.js';
import { generateTestCertificates, startEtcd, type EtcdServer, type TestCertificates } from '../src/testing/index.js';
import { WatchReader, configFor, dec, enc } from './helpers.js';

let dir: string;
let certs: TestCertificates;
let etcd: EtcdServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'etcd-tls-'));
  certs = await generateTestCertificates(dir);
  etcd = await startEtcd({
    tls: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, trustedCAFile: certs.caFile, clientCertAuth: true, alsoPlaintext: true },
  });
}, 60_000);

afterAll(async () => {
  await etcd?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function tlsConfig(transport: { keyFile?: string; certFile?: string; trustedCAFile?: string }, servers: string | readonly string[] = etcd.endpoint) {
  return configFor(servers, {
    transport: { keyFile: '', certFile: '', trustedCAFile: '', ...transport },
    driverOptions: { requestTimeoutMs: 3_000 },
  });
}

describe('TLS', () => {
  it('works with the right CA and a client certificate, for unary calls and watches', async () => {
    expect(etcd.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const backend = await etcd3Driver.createBackend(
      tlsConfig({ keyFile: certs.clientKeyFile, certFile: certs.clientCertFile, trustedCAFile: certs.caFile }),
    );
    try {
      const start = (await backend.get('/registry/tls')).revision + 1;
      const reader = new WatchReader(backend.watch('/registry/tls', { startRevision: start }));
      const { succeeded, revision } = await backend.optimisticPut('/registry/tls', enc('secure'), 0);
      expect(succeeded).toBe(true);
      expect(dec((await backend.get('/registry/tls')).kv!.value)).toBe('secure');
      expect((await reader.nextEvents()).revision).toBe(revision);
      await reader.close();
    } finally {
      await backend.close();
    }
  });

  it('fails clearly and within the deadline when the server certificate is not trusted', async () => {
    const backend = await etcd3Driver.createBackend(
      tlsConfig({ keyFile: certs.clientKeyFile, certFile: certs.clientCertFile, trustedCAFile: certs.otherCaFile }),
    );
    try {
      const started = Date.now();
      const err = await backend.get('/registry/tls').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(err).toBeInstanceOf(BackendError);
      expect(['Unreachable', 'Timeout']).toContain((err as BackendError).code);
      expect((err as BackendError).message).toMatch(/etcd range failed/);
    } finally {
      await backend.close();
    }
  });

  it('is refused by a server that requires client certificates when none is given', async () => {
    const backend = await etcd3Driver.createBackend(tlsConfig({ trustedCAFile: certs.caFile }));
    try {
      const started = Date.now();
      const err = await backend.get('/registry/tls').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(['Unreachable', 'Timeout']).toContain((err as BackendError).code);
    } finally {
      await backend.close();
    }
  });

  it('decides per endpoint: http:// stays plaintext even with TLS files configured, and schemes may be mixed', async () => {
    const files = { keyFile: certs.clientKeyFile, certFile: certs.clientCertFile, trustedCAFile: certs.caFile };
    const plainHostPort = etcd.plainEndpoint!.replace(/^http:\/\//, '');
    const tlsHostPort = etcd.endpoint.replace(/^https:\/\//, '');
    for (const servers of [[etcd.plainEndpoint!], [etcd.endpoint, etcd.plainEndpoint!], [tlsHostPort]]) {
      const backend = await etcd3Driver.createBackend(tlsConfig(files, servers));
      try {
        const key = `/registry/mixed/${servers.length}-${servers[0]!.slice(0, 5)}`;
        const { succeeded, revision } = await backend.optimisticPut(key, enc('v'), 0);
        expect(succeeded, JSON.stringify(servers)).toBe(true);
        const reader = new WatchReader(backend.watch(key, { startRevision: revision }));
        expect((await reader.nextEvents()).revision).toBe(revision);
        await reader.close();
      } finally {
        await backend.close();
      }
    }
    // A bare host:port is plaintext when no TLS file is configured.
    const bare = await etcd3Driver.createBackend(tlsConfig({}, [plainHostPort]));
    try {
      expect((await bare.get('/registry/mixed/x')).kv).toBeNull();
    } finally {
      await bare.close();
    }
  });

  it('rejects unreadable or incomplete TLS files with ConfigError InvalidConfig', async () => {
    const missing = etcd3Driver.createBackend(tlsConfig({ trustedCAFile: join(dir, 'nope.crt') }));
    await expect(missing).rejects.toBeInstanceOf(ConfigError);
    await expect(missing).rejects.toMatchObject({ code: 'InvalidConfig', message: expect.stringContaining('trustedCAFile') });
    const halfPair = etcd3Driver.createBackend(tlsConfig({ certFile: certs.clientCertFile, trustedCAFile: certs.caFile }));
    await expect(halfPair).rejects.toMatchObject({ code: 'InvalidConfig' });
  });
});
