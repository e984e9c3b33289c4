import { ConfigFieldError } from '../config-field-error.js';
import type { BackendSelection } from './backend-selection.js';
import { hostPortText, parseHostList, parseHostPort } from './host-list.js';

const ETCD_PORT = 2379;

function checkNoCredentials(rest: string, field: string): void {
  // Checked on the whole text: a password may hold an unencoded '/' that would hide it from the authority.
  if (rest.includes('@')) {
    throw new ConfigFieldError(field, 'etcd URLs take no credentials; use client certificates (certFile/keyFile)');
  }
}

function checkPath(path: string, field: string): void {
  if (path !== '' && path !== '/') throw new ConfigFieldError(field, `etcd URLs take no path (got ${JSON.stringify(path)})`);
}

function split(rest: string): { authority: string; path: string } {
  const slash = rest.indexOf('/');
  return slash < 0 ? { authority: rest, path: '' } : { authority: rest.slice(0, slash), path: rest.slice(slash) };
}

/** `etcd3://h1:2379,h2:2379`: plain-HTTP members, default port 2379. */
export function parseEtcd3Url(rest: string, field: string): BackendSelection {
  if (!rest.startsWith('//')) throw new ConfigFieldError(field, 'expected etcd3://host:port[,host:port…]');
  checkNoCredentials(rest, field);
  if (/[?#]/.test(rest)) throw new ConfigFieldError(field, 'etcd URLs take no query or fragment');
  const { authority, path } = split(rest.slice(2));
  checkPath(path, field);
  const hosts = parseHostList(authority, ETCD_PORT, field);
  return { type: 'etcd3', serverList: hosts.map((h) => `http://${hostPortText(h)}`) };
}

/**
 * `http://h:2379`, `https://h:2379`, or a comma list of them (`https://a:2379,https://b:2379`); an entry without a
 * scheme takes the previous entry's. TLS per member follows its scheme.
 */
export function parseEtcdHttpUrl(url: string, field: string): BackendSelection {
  checkNoCredentials(url, field);
  if (/[?#]/.test(url)) throw new ConfigFieldError(field, 'etcd URLs take no query or fragment');
  let scheme = '';
  const serverList = url.split(',').map((item) => {
    const match = /^(https?):\/\/(.*)$/i.exec(item);
    if (match) scheme = match[1]!.toLowerCase();
    const rest = match ? match[2]! : item;
    if (scheme === '') throw new ConfigFieldError(field, 'expected http(s)://host:port');
    const { authority, path } = split(rest);
    checkPath(path, field);
    if (authority === '') throw new ConfigFieldError(field, 'no host given');
    return `${scheme}://${hostPortText(parseHostPort(authority, ETCD_PORT, field))}`;
  });
  return { type: 'etcd3', serverList };
}
