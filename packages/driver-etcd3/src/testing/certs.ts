import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Files written by `generateTestCertificates`. */
export interface TestCertificates {
  readonly caFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** A second, unrelated CA: trusting it instead of `caFile` must fail the handshake. */
  readonly otherCaFile: string;
}

async function openssl(args: readonly string[]): Promise<void> {
  await run('openssl', args, { timeout: 30_000 });
}

async function makeCa(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '2', '-subj', `/CN=${name}`]);
  return { cert, key };
}

async function makeLeaf(
  dir: string,
  name: string,
  ca: { cert: string; key: string },
  extensions: string,
): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, extensions);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
  await openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert,
    '-days', '2', '-extfile', ext]);
  return { cert, key };
}

/**
 * Creates a CA, a server certificate for 127.0.0.1 and a client certificate with the `openssl` CLI.
 *
 * @example
 * const certs = await generateTestCertificates(mkdtempSync(join(tmpdir(), 'certs-')));
 * const etcd = await startEtcd({ tls: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile,
 *   trustedCAFile: certs.caFile, clientCertAuth: true } });
 */
export async function generateTestCertificates(dir: string): Promise<TestCertificates> {
  const [ca, other] = await Promise.all([makeCa(dir, 'ca'), makeCa(dir, 'other-ca')]);
  // Sequential: both leaves update the CA's serial file.
  const server = await makeLeaf(dir, 'server', ca,
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
  const client = await makeLeaf(dir, 'client', ca, 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
  return {
    caFile: ca.cert,
    serverCertFile: server.cert,
    serverKeyFile: server.key,
    clientCertFile: client.cert,
    clientKeyFile: client.key,
    otherCaFile: other.cert,
  };
}
