import { forResource, newDefaultConfig, type ConfigForResource } from '@storagebackend/core';

export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
export const dec = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

let keyspaces = 0;
/** A keyspace name no other backend of this process uses: a fresh, empty store on a shared server. */
export const freshKeyspace = (): string => `t${process.pid}-${keyspaces++}`;

export function redisConfig(url: string, driverOptions?: Record<string, unknown>): ConfigForResource {
  const base = newDefaultConfig('/registry');
  return forResource(
    { ...base, type: 'redis', transport: { ...base.transport, serverList: [url] }, ...(driverOptions ? { driverOptions } : {}) },
    { group: '', resource: 'pods' },
  );
}
