import { COMPACT_BATCH, COMPACT_START, COMPACT_TRIM } from './compaction.js';
import { COUNT, GET, LIST, REPLAY, REVISION, STATUS } from './reads.js';
import { DELETE, GRANT, INIT, PUT, REVOKE, SWEEP } from './writes.js';

/** Every script, by the command name it is defined under (`sb` prefix; ioredis adds a `…Buffer` variant). */
export const SCRIPTS = {
  sbInit: INIT,
  sbPut: PUT,
  sbDelete: DELETE,
  sbGrant: GRANT,
  sbRevoke: REVOKE,
  sbSweep: SWEEP,
  sbGet: GET,
  sbCount: COUNT,
  sbList: LIST,
  sbReplay: REPLAY,
  sbStatus: STATUS,
  sbRevision: REVISION,
  sbCompactStart: COMPACT_START,
  sbCompactBatch: COMPACT_BATCH,
  sbCompactTrim: COMPACT_TRIM,
} as const;

export type ScriptName = keyof typeof SCRIPTS;

/**
 * How many of the keyspace's keys (in `keyspaceKeys` order) each script is given: reads take only the ones they
 * touch, which keeps the per-call arguments short; every key a script touches is still passed in KEYS.
 */
export const KEY_COUNTS: Readonly<Record<ScriptName, number>> = {
  sbInit: 1,
  sbPut: 8,
  sbDelete: 8,
  sbGrant: 8,
  sbRevoke: 8,
  sbSweep: 8,
  sbGet: 4,
  sbCount: 2,
  sbList: 4,
  sbReplay: 5,
  sbStatus: 8,
  sbRevision: 1,
  sbCompactStart: 1,
  sbCompactBatch: 4,
  sbCompactTrim: 5,
};

/** The Redis keys of one keyspace, in the order the scripts expect them (KEYS[1..8]). */
export function keyspaceKeys(keyspace: string): readonly string[] {
  const tag = `{${keyspace}}`;
  return ['cur', 'idx', 'hist', 'vals', 'log', 'leases', 'lttl', 'lkeys'].map((name) => `${tag}:${name}`);
}
