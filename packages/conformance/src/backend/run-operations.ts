import type { KeyValue } from '@storagebackend/core';
import { OPERATION_KEYS, OPERATION_PREFIXES, type BackendOperation, type Expectation, type RevisionRef } from './operations.js';
import type { OperationTarget } from './reference-model.js';

/** A KeyValue with revisions relative to the run's start revision and the key relative to its prefix. */
export interface NormalizedKeyValue {
  readonly key: string;
  readonly value: string;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
  readonly lease: string;
}

/** What one operation produced, comparable across backends whose revisions start at different numbers. */
export type OperationResult =
  | { readonly op: string; readonly error: string; readonly compactRevision?: number }
  | { readonly op: 'put' | 'delete'; readonly succeeded: boolean; readonly revision: number; readonly kv: NormalizedKeyValue | null }
  | { readonly op: 'get'; readonly kv: NormalizedKeyValue | null; readonly revision?: number }
  | { readonly op: 'list'; readonly pages: ReadonlyArray<{ kvs: NormalizedKeyValue[]; count: number; revision?: number }> }
  | { readonly op: 'count'; readonly count: number }
  | { readonly op: 'compact' }
  /** compactRevision is null while the target was not compacted during the run. */
  | { readonly op: 'status'; readonly revision: number; readonly compactRevision: number | null };

export interface RunOperationsOptions {
  /** Prefix for every key the run touches (unique per run when backends are shared). */
  readonly keyPrefix: string;
}

const decoder = new TextDecoder();

/**
 * Runs `ops` against a backend (or the ReferenceModel) and returns normalized results: equal arrays from two
 * targets mean they behaved identically. Revisions are relative to the run's first write, an anchor key just
 * outside `keyPrefix`, so two targets must start from the same (empty) state under that prefix.
 *
 * @example
 * const ops = fc.sample(backendOperationsArbitrary(), 1)[0]!;
 * expect(await runOperations(etcdBackend, ops, { keyPrefix })).toEqual(await runOperations(sqliteBackend, ops, { keyPrefix }));
 */
export async function runOperations(
  target: OperationTarget,
  ops: readonly BackendOperation[],
  options: RunOperationsOptions,
): Promise<OperationResult[]> {
  const { keyPrefix } = options;
  // An anchor write just outside the run's keys starts the run above any compaction floor left by earlier use
  // of a shared server, so fresh and reused backends give the same results.
  const anchor = await target.optimisticPut(`${keyPrefix.replace(/\/$/, '')}~anchor`, new Uint8Array(0), 0);
  if (!anchor.succeeded) throw new Error(`runOperations: the anchor write under ${keyPrefix} failed; is the prefix unique?`);
  const start = anchor.revision;
  const rel = (revision: number): number => revision - start;
  // The mod revision of each key as this run last saw it; the runner is the only writer to its keys.
  const tracked = new Map<string, number>();
  const keyOf = (index: number): string => keyPrefix + OPERATION_KEYS[index % OPERATION_KEYS.length]!;
  const prefixOf = (index: number): string => keyPrefix + OPERATION_PREFIXES[index % OPERATION_PREFIXES.length]!;

  const normalize = (kv: KeyValue | null): NormalizedKeyValue | null =>
    kv === null
      ? null
      : {
          key: kv.key.startsWith(keyPrefix) ? kv.key.slice(keyPrefix.length) : `!outside:${kv.key}`,
          value: decoder.decode(kv.value),
          createRevision: rel(kv.createRevision),
          modRevision: rel(kv.modRevision),
          version: kv.version,
          lease: kv.lease,
        };

  const expected = (key: string, how: Expectation): number => {
    const mod = tracked.get(key) ?? 0;
    switch (how.kind) {
      case 'absent':
        return 0;
      case 'tracked':
        return mod;
      case 'stale':
        return Math.max(0, mod - 1);
      case 'relative':
        return start + how.offset;
    }
  };

  const revisionFor = async (at: RevisionRef): Promise<number | undefined> => {
    switch (at.kind) {
      case 'latest':
        return undefined;
      case 'relative':
        return start + at.offset;
      case 'back':
        return Math.max(start, (await target.status()).revision - at.by);
    }
  };

  const results: OperationResult[] = [];
  for (const op of ops) {
    try {
      results.push(await runOne(op));
    } catch (err) {
      const e = err as { name?: unknown; code?: unknown; compactRevision?: unknown };
      if (e?.name !== 'BackendError') throw err;
      results.push({
        op: op.op,
        error: String(e.code),
        ...(e.code === 'Compacted' && typeof e.compactRevision === 'number' ? { compactRevision: rel(e.compactRevision) } : {}),
      });
    }
  }
  return results;

  async function runOne(op: BackendOperation): Promise<OperationResult> {
    switch (op.op) {
      case 'put':
      case 'delete': {
        const key = keyOf(op.key);
        const mod = expected(key, op.expect);
        const result =
          op.op === 'put'
            ? await target.optimisticPut(key, new TextEncoder().encode(op.value), mod, { getOnFailure: op.getOnFailure })
            : await target.optimisticDelete(key, mod, { getOnFailure: op.getOnFailure });
        if (result.succeeded) tracked.set(key, op.op === 'put' ? result.revision : 0);
        else if (op.getOnFailure) tracked.set(key, result.kv?.modRevision ?? 0);
        return { op: op.op, succeeded: result.succeeded, revision: rel(result.revision), kv: normalize(result.kv) };
      }
      case 'get': {
        const key = keyOf(op.key);
        const revision = await revisionFor(op.at);
        const result = await target.get(key, revision === undefined ? {} : { revision });
        if (revision === undefined) {
          tracked.set(key, result.kv?.modRevision ?? 0);
          return { op: 'get', kv: normalize(result.kv), revision: rel(result.revision) };
        }
        // A past read may report the requested or the current revision; both are allowed, so neither is compared.
        return { op: 'get', kv: normalize(result.kv) };
      }
      case 'list': {
        const prefix = prefixOf(op.prefix);
        let revision = await revisionFor(op.at);
        const latest = revision === undefined;
        const pages: Array<{ kvs: NormalizedKeyValue[]; count: number; revision?: number }> = [];
        let continueKey: string | undefined;
        for (let guard = 0; guard < 50; guard++) {
          const page = await target.list(prefix, {
            limit: op.limit,
            ...(revision === undefined ? {} : { revision }),
            ...(continueKey === undefined ? {} : { continueKey }),
          });
          pages.push({
            kvs: page.kvs.map((kv) => normalize(kv)!),
            count: page.count,
            ...(latest && pages.length === 0 ? { revision: rel(page.revision) } : {}),
          });
          revision ??= page.revision;
          const last = page.kvs.at(-1);
          if (!op.paginate || op.limit === 0 || last === undefined || page.count <= page.kvs.length) break;
          continueKey = `${last.key}\0`;
        }
        return { op: 'list', pages };
      }
      case 'count':
        return { op: 'count', count: await target.count(prefixOf(op.prefix)) };
      case 'compact': {
        const revision = (await revisionFor(op.at)) ?? (await target.status()).revision;
        await target.compact(revision);
        return { op: 'compact' };
      }
      case 'status': {
        const status = await target.status();
        const compactRevision = status.compactRevision < start ? null : rel(status.compactRevision);
        return { op: 'status', revision: rel(status.revision), compactRevision };
      }
    }
  }
}
