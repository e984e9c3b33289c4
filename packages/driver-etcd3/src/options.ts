import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from '@storagebackend/core';

/**
 * Settings read from `config.driverOptions` for the etcd3 driver; unknown names are a ConfigError.
 *
 * @example
 * const config = { ...base, type: 'etcd3', driverOptions: { requestTimeoutMs: 5_000 } satisfies Etcd3DriverOptions };
 */
export interface Etcd3DriverOptions {
  /**
   * Deadline of every unary call (get, txn, lease, status); default 10000 ms. A write whose deadline passes
   * (or whose signal aborts) may still be applied by etcd: its outcome is unknown until read back. Lists and
   * counts have none, as in kube-apiserver: only the caller's signal bounds them (a member that stops
   * answering is still left for another one, and a dead connection is noticed by the gRPC keepalive).
   */
  readonly requestTimeoutMs?: number;
  /** Deadline of a physical compaction, which can take longer; default 60000 ms. */
  readonly compactTimeoutMs?: number;
  /** Longest wait between watch reconnect attempts; default 2000 ms. */
  readonly watchRetryMaxDelayMs?: number;
  /**
   * gRPC keepalive ping interval on connections with calls or watches open; default 10000 ms (etcd rejects
   * < 5000). A connection whose ping is not answered within 5 s is closed and its calls and watches move on.
   */
  readonly keepaliveTimeMs?: number;
  /**
   * How long a watch keeps trying to (re)establish its stream without etcd confirming it before the iteration
   * fails with `Unreachable`; default 60000 ms. The clock starts at the first failure since the last success.
   */
  readonly watchReconnectBudgetMs?: number;
}

export interface TlsMaterial {
  readonly rootCertificate?: Buffer;
  readonly privateKey?: Buffer;
  readonly certChain?: Buffer;
}

/** One configured member: where to dial and whether with TLS. */
export interface EtcdEndpoint {
  /** `host:port`, scheme stripped. */
  readonly address: string;
  readonly secure: boolean;
}

/** Everything the client wrapper needs, validated. */
export interface EtcdClientOptions {
  readonly endpoints: readonly EtcdEndpoint[];
  /** Original server URLs, for labels such as the DB-size monitor's endpoint. */
  readonly serverUrls: readonly string[];
  /** Certificates for the TLS endpoints; undefined means system roots and no client certificate. */
  readonly tls: TlsMaterial | undefined;
  readonly requestTimeoutMs: number;
  readonly compactTimeoutMs: number;
  readonly watchRetryMaxDelayMs: number;
  readonly keepaliveTimeMs: number;
  readonly watchReconnectBudgetMs: number;
}

const DEFAULTS = {
  requestTimeoutMs: 10_000,
  compactTimeoutMs: 60_000,
  watchRetryMaxDelayMs: 2_000,
  keepaliveTimeMs: 10_000,
  watchReconnectBudgetMs: 60_000,
} as const;

type OptionName = keyof typeof DEFAULTS;
const MINIMUMS: Record<OptionName, number> = {
  requestTimeoutMs: 1,
  compactTimeoutMs: 1,
  watchRetryMaxDelayMs: 1,
  keepaliveTimeMs: 5_000,
  watchReconnectBudgetMs: 1,
};

function invalid(message: string, cause?: unknown): ConfigError {
  return new ConfigError('InvalidConfig', `etcd3: ${message}`, cause);
}

function readDriverOptions(raw: Readonly<Record<string, unknown>> | undefined): Record<OptionName, number> {
  const out: Record<OptionName, number> = { ...DEFAULTS };
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (!(name in DEFAULTS)) {
      throw invalid(`unknown driver option ${JSON.stringify(name)} (known: ${Object.keys(DEFAULTS).join(', ')})`);
    }
    const key = name as OptionName;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < MINIMUMS[key]) {
      throw invalid(`driver option ${name} must be an integer ≥ ${MINIMUMS[key]}, got ${JSON.stringify(value)}`);
    }
    out[key] = value;
  }
  return out;
}

const ENDPOINT = /^(?:(https?):\/\/)?(\[[0-9a-fA-F:.]+\]|[^\s/:[\]]+):(\d{1,5})\/?$/;

/** Like etcd's Go client: https → TLS, http → plaintext, no scheme → TLS iff TLS files are configured. */
function parseEndpoint(url: string, tlsConfigured: boolean): EtcdEndpoint {
  const match = ENDPOINT.exec(url.trim());
  if (match === null) throw invalid(`invalid etcd server ${JSON.stringify(url)}; expected http(s)://host:port`);
  const port = Number(match[3]);
  if (port < 1 || port > 65535) throw invalid(`invalid port in etcd server ${JSON.stringify(url)}`);
  const scheme = match[1];
  return { address: `${match[2]}:${port}`, secure: scheme === undefined ? tlsConfigured : scheme === 'https' };
}

function readPem(path: string, what: string): Buffer | undefined {
  if (path === '') return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    throw invalid(`cannot read ${what} ${JSON.stringify(path)}: ${(err as Error).message}`, err);
  }
}

function readTls(config: Config): TlsMaterial | undefined {
  const { keyFile, certFile, trustedCAFile } = config.transport;
  if (keyFile === '' && certFile === '' && trustedCAFile === '') return undefined;
  if ((keyFile === '') !== (certFile === '')) {
    throw invalid('keyFile and certFile must be set together');
  }
  const tls: { -readonly [K in keyof TlsMaterial]: TlsMaterial[K] } = {};
  const rootCertificate = readPem(trustedCAFile, 'trustedCAFile');
  const privateKey = readPem(keyFile, 'keyFile');
  const certChain = readPem(certFile, 'certFile');
  if (rootCertificate !== undefined) tls.rootCertificate = rootCertificate;
  if (privateKey !== undefined) tls.privateKey = privateKey;
  if (certChain !== undefined) tls.certChain = certChain;
  return tls;
}

/** Validates a Config for the etcd3 driver; bad input is a `ConfigError('InvalidConfig')`. */
export function resolveClientOptions(config: Config): EtcdClientOptions {
  const serverUrls = config.transport.serverList;
  if (serverUrls.length === 0) throw invalid('transport.serverList is empty');
  const tls = readTls(config);
  const endpoints = serverUrls.map((url) => parseEndpoint(url, tls !== undefined));
  const options = readDriverOptions(config.driverOptions);
  return { endpoints, serverUrls: [...serverUrls], tls, ...options };
}
