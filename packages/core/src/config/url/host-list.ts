import { ConfigFieldError } from '../config-field-error.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?\]$/;

/** `host[:port]` or `[v6]:port`; the port defaults to `defaultPort`. Messages name the host, never userinfo. */
export function parseHostPort(text: string, defaultPort: number, field: string): HostPort {
  let host = text;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    host = close < 0 ? text : text.slice(0, close + 1);
    const rest = close < 0 ? '' : text.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw new ConfigFieldError(field, `invalid host ${JSON.stringify(text)}`);
      portText = rest.slice(1);
    }
    if (!IPV6.test(host)) throw new ConfigFieldError(field, `invalid host ${JSON.stringify(text)}`);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon >= 0) {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
    if (host === '') throw new ConfigFieldError(field, `missing host in ${JSON.stringify(text)}`);
    if (!HOSTNAME.test(host)) throw new ConfigFieldError(field, `invalid host ${JSON.stringify(host)}`);
  }
  if (portText === undefined) return { host, port: defaultPort };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new ConfigFieldError(field, `invalid port ${JSON.stringify(portText)} for host ${host} (expected 1-65535)`);
  }
  return { host, port };
}

/** A comma-separated list of hosts (`h1:p1,h2:p2`), at least one. */
export function parseHostList(text: string, defaultPort: number, field: string): HostPort[] {
  if (text === '') throw new ConfigFieldError(field, 'no host given');
  return text.split(',').map((item) => {
    if (item === '') throw new ConfigFieldError(field, 'empty entry in the host list');
    return parseHostPort(item, defaultPort, field);
  });
}

export const hostPortText = ({ host, port }: HostPort): string => `${host}:${port}`;
