import { createHash } from 'node:crypto';
import type { Backend, KeyValue } from '@storagebackend/core';

export const PAGE = 1000;

/** Every key under `prefix` at `revision`, page by page in key order (a consistent snapshot, as make-mirror reads). */
export async function* pages(backend: Backend, prefix: string, revision: number, after?: string): AsyncGenerator<readonly KeyValue[]> {
  let continueKey: string | undefined = after === undefined ? undefined : `${after}\u0000`;
  for (;;) {
    const page = await backend.list(prefix, { revision, limit: PAGE, ...(continueKey === undefined ? {} : { continueKey }) });
    if (page.kvs.length > 0) yield page.kvs;
    const last = page.kvs.at(-1);
    if (page.kvs.length < PAGE || last === undefined) return;
    continueKey = `${last.key}\u0000`;
  }
}

/** The current revision, read without writing (a get of any key reports it). */
export async function currentRevision(backend: Backend, prefix: string): Promise<number> {
  return (await backend.list(prefix, { limit: 1 })).revision;
}

const sha256 = (value: Uint8Array): string => createHash('sha256').update(value).digest('hex');

/** SHA-256 of every value under the prefix at a revision, by key. */
export async function digests(backend: Backend, prefix: string, revision: number): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const kvs of pages(backend, prefix, revision)) for (const kv of kvs) out.set(kv.key, sha256(kv.value));
  return out;
}

export interface Verification {
  readonly sourceCount: number;
  readonly targetCount: number;
  readonly missing: readonly string[];
  readonly extra: readonly string[];
  readonly different: readonly string[];
  readonly ok: boolean;
}

/** Count and a SHA-256 per key on both sides (never etcd's revision-keyed hashkv). */
export function compareDigests(source: Map<string, string>, target: Map<string, string>): Verification {
  const missing: string[] = [];
  const different: string[] = [];
  for (const [key, hash] of source) {
    const other = target.get(key);
    if (other === undefined) missing.push(key);
    else if (other !== hash) different.push(key);
  }
  const extra = [...target.keys()].filter((k) => !source.has(k));
  return {
    sourceCount: source.size,
    targetCount: target.size,
    missing,
    extra,
    different,
    ok: missing.length === 0 && extra.length === 0 && different.length === 0,
  };
}
