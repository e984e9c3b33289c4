import type { KeyValue, TxnOpResponse, TxnRequest, TxnResponse } from '@storagebackend/core';
import type { TxnTemplate } from './txn-operations.js';

/** A kv with revisions relative to the side's start and its key relative to the prefix. */
function relativeKv(kv: KeyValue, prefix: string, base: number) {
  return {
    key: kv.key.slice(prefix.length),
    value: new TextDecoder().decode(kv.value),
    createRevision: kv.createRevision - base,
    modRevision: kv.modRevision - base,
    version: kv.version,
    lease: kv.lease,
  };
}

function relativeResponse(res: TxnOpResponse, prefix: string, base: number): unknown {
  switch (res.type) {
    case 'range':
      return { ...res, kvs: res.kvs.map((kv) => relativeKv(kv, prefix, base)) };
    case 'put':
      return { ...res, prevKv: res.prevKv && relativeKv(res.prevKv, prefix, base) };
    case 'deleteRange':
      return { ...res, prevKvs: res.prevKvs.map((kv) => relativeKv(kv, prefix, base)) };
    case 'txn':
      return { ...res, responses: res.responses.map((r) => relativeResponse(r, prefix, base)) };
  }
}

export type TxnOutcomeRecord = { ok: unknown } | { error: string };

/**
 * Runs transaction templates on one side and returns every response (or refusal text) and the final keyspace under
 * `prefix`, with revisions relative to `base` and keys relative to `prefix`: equal results mean equal behaviour.
 */
export async function runTxnSequence(
  txn: (request: TxnRequest) => Promise<TxnResponse>,
  list: (prefix: string) => Promise<readonly KeyValue[]>,
  templates: TxnTemplate[],
  prefix: string,
  base: number,
): Promise<TxnOutcomeRecord[]> {
  const out: TxnOutcomeRecord[] = [];
  for (const template of templates) {
    try {
      const res = await txn(template(prefix, base));
      out.push({ ok: { succeeded: res.succeeded, revision: res.revision - base, responses: res.responses.map((r) => relativeResponse(r, prefix, base)) } });
    } catch (err) {
      // grpc-js prefixes the status code ("3 INVALID_ARGUMENT: "); etcd's text follows.
      out.push({ error: (err as Error).message.replace(/^\d+ [A-Z_]+: /, '') });
    }
  }
  out.push({ ok: (await list(prefix)).map((kv) => relativeKv(kv, prefix, base)) });
  return out;
}

