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

/** The Redis keys of one keyspace, in the order the scripts expect them (KEYS[1..12]). */
export function keyspaceKeys(keyspace: string): readonly string[] {
  const tag = `{${keyspace}}`;
  return ['e', 'rev', 'cmp', 'cur', 'idx', 'hist', 'vals', 'log', 'leases', 'lttl', 'lkeys', 'lseq'].map((name) => `${tag}:${name}`);
}
