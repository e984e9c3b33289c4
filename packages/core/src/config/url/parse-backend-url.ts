import { ConfigFieldError } from '../config-field-error.js';
import { redactUrl } from '../redact.js';
import type { BackendSelection } from './backend-selection.js';
import { parseEtcd3Url, parseEtcdHttpUrl } from './etcd-url.js';
import { parseMemoryUrl } from './memory-url.js';
import { parseRedisUrl } from './redis-url.js';
import { parseSqliteUrl } from './sqlite-url.js';

export const SUPPORTED_SCHEMES =
  'memory:, sqlite:, etcd3://, http://, https://, redis://, rediss://, redis+cluster://, rediss+cluster://, redis+sentinel://, rediss+sentinel://';

const REDIS_SCHEMES = new Set(['redis', 'rediss', 'redis+cluster', 'rediss+cluster', 'redis+sentinel', 'rediss+sentinel']);

/**
 * Reads a backend URL into the driver type, server list and URL-implied driver options. Errors are
 * {@link ConfigFieldError}s naming `field`; they show the URL only with its password replaced.
 */
export function parseBackendUrl(url: string, field = 'url'): BackendSelection {
  if (typeof url !== 'string' || url.trim() === '') throw new ConfigFieldError(field, 'a backend URL is required');
  if (url !== url.trim()) throw new ConfigFieldError(field, 'the backend URL has leading or trailing spaces');
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(url);
  // A Windows drive letter or a bare path is not a scheme; say what is expected instead of guessing a driver.
  if (!match || match[1]!.length === 1) {
    throw new ConfigFieldError(
      field,
      `${JSON.stringify(redactUrl(url))} has no scheme (supported: ${SUPPORTED_SCHEMES}); for a SQLite file write sqlite:${url}`,
    );
  }
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  if (scheme === 'memory') return parseMemoryUrl(rest, field);
  if (scheme === 'sqlite') return parseSqliteUrl(rest, field);
  if (scheme === 'etcd3') return parseEtcd3Url(rest, field);
  if (scheme === 'http' || scheme === 'https') return parseEtcdHttpUrl(url, field);
  if (REDIS_SCHEMES.has(scheme)) return parseRedisUrl(scheme, rest, field);
  throw new ConfigFieldError(field, `unsupported scheme "${scheme}:" (supported: ${SUPPORTED_SCHEMES})`);
}
