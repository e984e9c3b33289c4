import { readFileSync } from 'node:fs';
import { ConfigError, type TransportConfig } from '@storagebackend/core';
import type { RedisOptions } from 'ioredis';

/** A parsed standalone endpoint; `display` never contains the password. */
export interface RedisEndpoint {
  readonly options: RedisOptions;
  readonly display: string;
}

/** Removes any password from a URL-like string, for messages. */
export function redact(text: string): string {
  return text.replace(/(rediss?(?:\+\w+)?:\/\/)([^@/]*)@/gi, (_, scheme: string, auth: string) => {
    const user = auth.includes(':') ? auth.slice(0, auth.indexOf(':')) : '';
    return `${scheme}${user ? `${user}:` : ':'}***@`;
  });
}

function invalid(message: string): ConfigError {
  return new ConfigError('InvalidConfig', `redis: ${message}`);
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError('InvalidConfig', `redis: cannot read ${what} ${path}: ${(err as Error).message}`, err);
  }
}

/**
 * Parses `transport.serverList[0]`: `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS with the
 * transport's CA, certificate and key files).
 */
export function parseEndpoint(transport: TransportConfig | undefined): RedisEndpoint {
  const list = transport?.serverList;
  if (!Array.isArray(list) || list.length !== 1 || typeof list[0] !== 'string') {
    throw invalid(`transport.serverList must hold exactly one redis:// or rediss:// URL (got ${list?.length ?? 0} entries)`);
  }
  const raw = list[0];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`transport.serverList[0] is not a URL: ${redact(raw)}`);
  }
  const display = redact(raw);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw invalid(`unsupported URL scheme ${url.protocol} in ${display} (expected redis:// or rediss://)`);
  }
  if (url.hostname === '' || url.port === '') throw invalid(`URL needs a host and a port: ${display}`);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^(?:[0-9]|1[0-5])$/.test(path)) throw invalid(`database must be 0..15 in ${display}`);
  if (url.search !== '' || url.hash !== '') throw invalid(`URL must not have a query or fragment: ${display}`);
  const options: RedisOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port),
    db: path === '' ? 0 : Number(path),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
  if (url.protocol === 'rediss:' && transport) {
    options.tls = {
      servername: options.host,
      ...(transport.trustedCAFile ? { ca: readPem(transport.trustedCAFile, 'trustedCAFile') } : {}),
      ...(transport.certFile ? { cert: readPem(transport.certFile, 'certFile') } : {}),
      ...(transport.keyFile ? { key: readPem(transport.keyFile, 'keyFile') } : {}),
    };
  }
  return { options, display };
}
