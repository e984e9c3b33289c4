import { ConfigFieldError } from '../config-field-error.js';
import type { BackendSelection } from './backend-selection.js';
import { hostPortText, parseHostList, type HostPort } from './host-list.js';

/** How a Redis backend is deployed; the redis driver reads it from `driverOptions.topology`. */
export type RedisTopology = 'standalone' | 'cluster' | 'sentinel';

const REDIS_PORT = 6379;
const SENTINEL_PORT = 26379;
const MASTER_NAME = /^[A-Za-z0-9._-]+$/;

interface Parts {
  readonly userinfo: string;
  readonly hosts: HostPort[];
  readonly path: string;
}

/**
 * Splits `//[userinfo@]hosts[/path]`. The userinfo ends at the last `@`, so a password with an unencoded `/`, `?`
 * or `@` still parses; no message ever includes it.
 */
function splitRedis(rest: string, defaultPort: number, field: string): Parts {
  if (!rest.startsWith('//')) throw new ConfigFieldError(field, 'expected redis://[user:password@]host:port[/db]');
  const body = rest.slice(2);
  const at = body.lastIndexOf('@');
  const userinfo = at < 0 ? '' : body.slice(0, at);
  const remainder = at < 0 ? body : body.slice(at + 1);
  if (/[?#]/.test(remainder)) {
    throw new ConfigFieldError(field, 'redis URLs take no query or fragment; set driverOptions in a config file');
  }
  const slash = remainder.indexOf('/');
  const authority = slash < 0 ? remainder : remainder.slice(0, slash);
  const path = slash < 0 ? '' : remainder.slice(slash);
  return { userinfo, hosts: parseHostList(authority, defaultPort, field), path };
}

function parseDb(text: string, field: string): string {
  if (!/^\d{1,9}$/.test(text)) throw new ConfigFieldError(field, `invalid database number ${JSON.stringify(text)} (expected a non-negative integer)`);
  return String(Number(text));
}

const nodeUrl = (tls: boolean, userinfo: string, host: HostPort, db?: string): string =>
  `${tls ? 'rediss' : 'redis'}://${userinfo === '' ? '' : `${userinfo}@`}${hostPortText(host)}${db === undefined ? '' : `/${db}`}`;

/**
 * The Redis URL forms of the redis driver. Every `serverList` entry is a complete `redis://` or `rediss://` URL of
 * one node (the URL's userinfo on each), and `driverOptions.topology` says how to use them:
 * - `redis://[user:pass@]host[:6379][/db]`, `rediss://…` → one entry, no `driverOptions` (absent topology means
 *   standalone);
 * - `redis+cluster://[user:pass@]h1:p1,h2:p2` (`rediss+cluster://`) → one entry per seed node, topology `cluster`
 *   (Redis Cluster has only database 0);
 * - `redis+sentinel://[user:pass@]h1:p1,h2:p2/<master-name>[/db]` (`rediss+sentinel://`) → one entry per sentinel
 *   (default port 26379) carrying the master's credentials and db, topology `sentinel`, `driverOptions.masterName`.
 */
export function parseRedisUrl(scheme: string, rest: string, field: string): BackendSelection {
  const tls = scheme.startsWith('rediss');
  const variant = scheme.split('+')[1];
  if (variant === undefined) {
    const { userinfo, hosts, path } = splitRedis(rest, REDIS_PORT, field);
    if (hosts.length !== 1) throw new ConfigFieldError(field, `${scheme}:// takes one host; use redis+cluster:// for several`);
    const db = path === '' || path === '/' ? undefined : parseDb(path.slice(1), field);
    // No topology for a single node: absent means standalone, so a driver that knows no topology option accepts it.
    return { type: 'redis', serverList: [nodeUrl(tls, userinfo, hosts[0]!, db)] };
  }
  if (variant === 'cluster') {
    const { userinfo, hosts, path } = splitRedis(rest, REDIS_PORT, field);
    if (path !== '' && path !== '/' && parseDb(path.slice(1), field) !== '0') {
      throw new ConfigFieldError(field, 'Redis Cluster has only database 0');
    }
    return { type: 'redis', serverList: hosts.map((h) => nodeUrl(tls, userinfo, h)), driverOptions: { topology: 'cluster' } };
  }
  const { userinfo, hosts, path } = splitRedis(rest, SENTINEL_PORT, field);
  const [, masterName = '', dbText, ...extra] = path.split('/');
  if (masterName === '') throw new ConfigFieldError(field, `${scheme}:// needs the master name: ${scheme}://h1:p1,h2:p2/<master-name>`);
  if (!MASTER_NAME.test(masterName)) throw new ConfigFieldError(field, `invalid sentinel master name ${JSON.stringify(masterName)}`);
  if (extra.length > 0) throw new ConfigFieldError(field, `expected ${scheme}://hosts/<master-name>[/db]`);
  const db = dbText === undefined || dbText === '' ? undefined : parseDb(dbText, field);
  return {
    type: 'redis',
    serverList: hosts.map((h) => nodeUrl(tls, userinfo, h, db)),
    driverOptions: { topology: 'sentinel', masterName },
  };
}
