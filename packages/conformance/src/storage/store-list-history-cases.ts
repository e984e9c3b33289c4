import { encodeContinueToken as token, rvNum, rvOf } from './store-helpers.js';
import type { ListCaseTable } from './store-list-cases.js';
import type { ListSeed } from './store-list-seed.js';

const NUL = '\u0000';

const all = (s: ListSeed) => [s.updated, s.created[1], s.created[2], s.created[3], s.created[4]];

/** Exact reads at each historical write, limits at past revisions and continue tokens (second half of RunTestList). */
export const historyListCases: ListCaseTable = {
  'Exact before the first write is too old (whole prefix)': (s) => ({
    prefix: '/pods/', rv: String(s.initialRV), match: 'Exact', fails: 'too-old', needsCompaction: true,
  }),
  'Exact at the 1st write': (s) => ({
    prefix: '/pods/', rv: rvOf(s.created[0]), match: 'Exact', items: [s.created[0]], listRV: rvNum(s.created[0]),
  }),
  'Exact at the 2nd write': (s) => ({
    prefix: '/pods/', rv: rvOf(s.created[1]), match: 'Exact', items: s.created.slice(0, 2), listRV: rvNum(s.created[1]),
  }),
  'Exact at the 3rd write': (s) => ({
    prefix: '/pods/', rv: rvOf(s.created[2]), match: 'Exact', items: s.created.slice(0, 3), listRV: rvNum(s.created[2]),
  }),
  'Exact at the 4th write': (s) => ({
    prefix: '/pods/', rv: rvOf(s.created[3]), match: 'Exact', items: s.created.slice(0, 4), listRV: rvNum(s.created[3]),
  }),
  'Exact at the 5th write': (s) => ({
    prefix: '/pods/', rv: rvOf(s.created[4]), match: 'Exact', items: s.created.slice(0, 5), listRV: rvNum(s.created[4]),
  }),
  'Exact at the 6th write': (s) => {
    const [c0, c1, c2, c3, c4, c5] = s.created;
    return { prefix: '/pods/', rv: rvOf(c5), match: 'Exact', items: [c0, c1, c5, c2, c3, c4], listRV: rvNum(c5) };
  },
  'Exact at the 7th write (the update)': (s) => {
    const [, c1, c2, c3, c4, c5] = s.created;
    return { prefix: '/pods/', rv: rvOf(s.updated), match: 'Exact', items: [s.updated, c1, c5, c2, c3, c4], listRV: rvNum(s.updated) };
  },
  'Exact at the 8th write (the delete)': (s) => ({
    prefix: '/pods/', rv: String(s.continueRV), match: 'Exact', items: all(s), listRV: s.continueRV,
  }),
  'Exact at the current revision (after writes elsewhere)': (s) => ({
    prefix: '/pods/', rv: String(s.currentRV), match: 'Exact', items: all(s), listRV: s.currentRV,
  }),
  'Exact in the future is too large': (s) => ({ prefix: '/pods/', rv: String(s.currentRV + 1), match: 'Exact', fails: 'too-large' }),
  'limit 1, Exact at the 2nd write': (s) => ({
    prefix: '/pods/', rv: rvOf(s.created[1]), match: 'Exact', predicate: { limit: 1 }, items: [s.created[0]],
    listRV: rvNum(s.created[1]), hasContinue: true, continueToken: token(`first/bar${NUL}`, rvNum(s.created[1])),
    remainingItemCount: 1,
  }),
  'limit 2, Exact at the 3rd write': (s) => ({
    prefix: '/pods/', rv: rvOf(s.created[2]), match: 'Exact', predicate: { limit: 2 }, items: s.created.slice(0, 2),
    listRV: rvNum(s.created[2]), hasContinue: true, continueToken: token(`second/bar${NUL}`, rvNum(s.created[2])),
    remainingItemCount: 1,
  }),
  'limit 4, Exact at the 4th write': (s) => ({
    prefix: '/pods/', rv: rvOf(s.created[3]), match: 'Exact', predicate: { limit: 4 }, items: s.created.slice(0, 4),
    listRV: rvNum(s.created[3]),
  }),
  'limit 1, Exact at the 5th write': (s) => ({
    prefix: '/pods/', rv: rvOf(s.created[4]), match: 'Exact', predicate: { limit: 1 }, items: [s.created[0]],
    listRV: rvNum(s.created[4]), hasContinue: true, continueToken: token(`first/bar${NUL}`, rvNum(s.created[4])),
    remainingItemCount: 4,
  }),
  'limit 2, Exact at the 6th write': (s) => ({
    prefix: '/pods/', rv: rvOf(s.created[5]), match: 'Exact', predicate: { limit: 2 }, items: s.created.slice(0, 2),
    listRV: rvNum(s.created[5]), hasContinue: true, continueToken: token(`second/bar${NUL}`, rvNum(s.created[5])),
    remainingItemCount: 4,
  }),
  'limit 4, Exact at the 7th write': (s) => {
    const [, c1, c2, , , c5] = s.created;
    return {
      prefix: '/pods/', rv: rvOf(s.updated), match: 'Exact', predicate: { limit: 4 }, items: [s.updated, c1, c5, c2],
      listRV: rvNum(s.updated), hasContinue: true, continueToken: token(`second/foo${NUL}`, rvNum(s.updated)),
      remainingItemCount: 2,
    };
  },
  'limit 8, Exact at the 8th write': (s) => ({
    prefix: '/pods/', rv: String(s.continueRV), match: 'Exact', predicate: { limit: 8 }, items: all(s), listRV: s.continueRV,
  }),
  'limit 1, Exact at the current revision': (s) => ({
    prefix: '/pods/', rv: String(s.currentRV), match: 'Exact', predicate: { limit: 1 }, items: [s.updated],
    listRV: s.currentRV, hasContinue: true, continueToken: token(`first/bar${NUL}`, s.currentRV), remainingItemCount: 4,
  }),
  'continue at a revision before the first write is too old': (s) => ({
    prefix: '/pods/', predicate: { limit: 1, continue: token(`first/bar${NUL}`, s.initialRV) },
    fails: 'continue-too-old', needsCompaction: true,
  }),
  'continue at the 1st write': (s) => ({
    prefix: '/pods/', predicate: { limit: 1, continue: token(`first/bar${NUL}`, rvNum(s.created[0])) }, items: [],
    listRV: rvNum(s.created[0]),
  }),
  'continue at the 2nd write': (s) => ({
    prefix: '/pods/', predicate: { limit: 1, continue: token(`first/bar${NUL}`, rvNum(s.created[1])) }, items: [s.created[1]],
    listRV: rvNum(s.created[1]),
  }),
  'continue at the 3rd write': (s) => ({
    prefix: '/pods/', predicate: { limit: 2, continue: token(`second/bar${NUL}`, rvNum(s.created[2])) }, items: [s.created[2]],
    listRV: rvNum(s.created[2]),
  }),
  'continue at the 5th write': (s) => ({
    prefix: '/pods/', predicate: { limit: 1, continue: token(`first/bar${NUL}`, rvNum(s.created[4])) }, items: [s.created[1]],
    listRV: rvNum(s.created[4]), hasContinue: true, continueToken: token(`second/bar${NUL}`, rvNum(s.created[4])),
    remainingItemCount: 3,
  }),
  'continue at the 6th write': (s) => ({
    prefix: '/pods/', predicate: { limit: 2, continue: token(`second/bar${NUL}`, rvNum(s.created[5])) },
    items: [s.created[5], s.created[2]], listRV: rvNum(s.created[5]), hasContinue: true,
    continueToken: token(`second/foo${NUL}`, rvNum(s.created[5])), remainingItemCount: 2,
  }),
  'continue at the 7th write': (s) => ({
    prefix: '/pods/', predicate: { limit: 4, continue: token(`second/foo${NUL}`, rvNum(s.updated)) },
    items: [s.created[3], s.created[4]], listRV: rvNum(s.updated),
  }),
  'continue at the current revision': (s) => ({
    prefix: '/pods/', predicate: { limit: 1, continue: token(`first/bar${NUL}`, s.currentRV) }, items: [s.created[1]],
    listRV: s.currentRV, hasContinue: true, continueToken: token(`second/bar${NUL}`, s.currentRV), remainingItemCount: 3,
  }),
  'continue with rv -1 reads consistently at the current revision': (s) => ({
    prefix: '/pods/', predicate: { continue: token(`first/bar${NUL}`, -1) }, items: all(s).slice(1), listRV: s.currentRV,
  }),
  'continue with rv -1 and a limit issues a token at the current revision': (s) => ({
    prefix: '/pods/', predicate: { limit: 2, continue: token(`first/bar${NUL}`, -1) }, items: [s.created[1], s.created[2]],
    listRV: s.currentRV, hasContinue: true, continueToken: token(`second/foo${NUL}`, s.currentRV), remainingItemCount: 2,
  }),
  'continue with rv -1 from the third object': (s) => ({
    prefix: '/pods/', predicate: { continue: token(`second/foo${NUL}`, -1) }, items: [s.created[3], s.created[4]],
    listRV: s.currentRV,
  }),
  'a continue token with an empty start key is rejected': (s) => ({
    prefix: '/pods/', predicate: { continue: token('', s.continueRV) }, fails: 'bad-request',
    message: 'invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)',
  }),
  'a continue token with resource version 0 is rejected': () => ({
    prefix: '/pods/', predicate: { continue: token(`first/bar${NUL}`, 0) }, fails: 'bad-request',
    message: 'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  }),
  'a negative resource version is rejected': () => ({ prefix: '/pods/', rv: '-1', fails: 'bad-request', message: 'invalid resource version' }),
};
