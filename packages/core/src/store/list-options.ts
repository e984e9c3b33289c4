import { newBadRequest } from '../errors/api-errors.js';
import { InvalidError } from '../errors/internal-error.js';
import type { ListOptions } from '../storage/options.js';
import { decodeContinue } from './continue-token.js';
import { parseResourceVersion } from './versioner.js';

export interface ValidatedList {
  /** Revision to read at; 0 = latest (then pinned to the first page's revision). */
  readonly withRev: number;
  /** Backend key to continue from; '' = the start of the prefix. */
  readonly continueKey: string;
  /** Not-older-than bound checked against the first response. */
  readonly minimumRevision: number;
}

/** Kubernetes `ValidateListOptions`: resolves RV × ResourceVersionMatch × continue into a read plan. */
export function validateListOptions(keyPrefix: string, opts: ListOptions<never>): ValidatedList {
  const rvText = opts.resourceVersion ?? '';
  const token = opts.predicate?.continue ?? '';
  if (opts.recursive && token !== '') {
    let decoded;
    try {
      decoded = decodeContinue(token, keyPrefix);
    } catch (err) {
      throw newBadRequest(`invalid continue token: ${(err as Error).message}`, err);
    }
    if (rvText !== '' && rvText !== '0') {
      throw newBadRequest('specifying resource version is not allowed when using continue');
    }
    return {
      withRev: decoded.resourceVersion > 0 ? decoded.resourceVersion : 0,
      continueKey: decoded.fromKey,
      minimumRevision: 0,
    };
  }
  if (rvText === '') return { withRev: 0, continueKey: '', minimumRevision: 0 };
  let parsed: number;
  try {
    parsed = parseResourceVersion(rvText);
  } catch (err) {
    throw newBadRequest(`invalid resource version: ${(err as InvalidError).message}`, err);
  }
  const limit = opts.predicate?.limit ?? 0;
  switch (opts.resourceVersionMatch ?? '') {
    case 'NotOlderThan':
      return { withRev: 0, continueKey: '', minimumRevision: parsed };
    case 'Exact':
      return { withRev: parsed, continueKey: '', minimumRevision: parsed };
    case '':
      // Legacy: a paged recursive list at an RV is an exact snapshot read.
      if (opts.recursive && limit > 0 && parsed > 0) return { withRev: parsed, continueKey: '', minimumRevision: parsed };
      return { withRev: 0, continueKey: '', minimumRevision: parsed };
    default:
      throw newBadRequest(`unknown ResourceVersionMatch value: ${String(opts.resourceVersionMatch)}`);
  }
}
