import type { ResourceVersionMatch, SelectionPredicate } from '@storagebackend/core';
import type { Pod } from './fixtures.js';
import { encodeContinueToken, MAX_INT64_RV, rvNum, rvOf } from './store-helpers.js';
import type { ListSeed } from './store-list-seed.js';

export type ListFailure = 'bad-request' | 'error' | 'too-large' | 'too-old' | 'continue-too-old';

/** One recursive getList of Kubernetes RunTestList and what it must return. */
export interface ListCase {
  readonly prefix: string;
  readonly rv?: string;
  readonly match?: ResourceVersionMatch | 'Invalid';
  readonly predicate?: SelectionPredicate<Pod>;
  readonly fails?: ListFailure;
  /** Substring of the error message, with `fails`. */
  readonly message?: string;
  /** Needs history compacted at the first write (skipped without capabilities.compaction). */
  readonly needsCompaction?: boolean;
  readonly items?: readonly Pod[];
  /** Any one of these item lists is acceptable. */
  readonly oneOf?: ReadonlyArray<readonly Pod[]>;
  readonly hasContinue?: boolean;
  readonly continueToken?: string;
  readonly remainingItemCount?: number;
  /** The list resourceVersion must equal this. */
  readonly listRV?: number;
  /** The list resourceVersion must be at least this. */
  readonly listRVAtLeast?: number;
}

export type ListCaseTable = Record<string, (s: ListSeed) => ListCase>;

const token = encodeContinueToken;
const NUL = '\u0000';

/** Basic, filtered and limited lists (first half of RunTestList). */
export const basicListCases: ListCaseTable = {
  'rejects an invalid resource version': () => ({ prefix: '/pods/', rv: 'abc', fails: 'bad-request', message: 'invalid resource version' }),
  'rejects a resource version together with a continue token': (s) => ({
    prefix: '/pods/', rv: '1', predicate: { limit: 1, continue: token('foo', s.continueRV) },
    fails: 'bad-request', message: 'specifying resource version is not allowed when using continue',
  }),
  'rejects a resource version set too high': () => ({ prefix: '/pods/', rv: MAX_INT64_RV, fails: 'too-large' }),
  'a namespace prefix returns its updated object': (s) => ({ prefix: '/pods/first/', items: [s.updated] }),
  'resource version 0 returns any version': (s) => ({ prefix: '/pods/first/', rv: '0', oneOf: [[], [s.updated]] }),
  'Exact before an update returns the old object': (s) => ({
    prefix: '/pods/first/', rv: rvOf(s.created[0]), match: 'Exact', items: [s.created[0]], listRV: rvNum(s.created[0]),
  }),
  'Exact before a creation returns nothing': (s) => ({
    prefix: '/pods/second/', rv: rvOf(s.created[0]), match: 'Exact', items: [], listRV: rvNum(s.created[0]),
  }),
  'Exact after a creation returns it': (s) => ({
    prefix: '/pods/second/', rv: rvOf(s.created[1]), match: 'Exact', items: [s.created[1]], listRV: rvNum(s.created[1]),
  }),
  'Exact before the first write is too old': (s) => ({
    prefix: '/pods/first/', rv: String(s.initialRV), match: 'Exact', fails: 'too-old', needsCompaction: true,
  }),
  'NotOlderThan 0 returns any version': (s) => ({ prefix: '/pods/first/', rv: '0', match: 'NotOlderThan', oneOf: [[], [s.updated]] }),
  'an unknown resourceVersionMatch is rejected': () => ({
    prefix: '/pods/first/', rv: '0', match: 'Invalid', fails: 'error', message: 'unknown ResourceVersionMatch value: Invalid',
  }),
  'NotOlderThan before the first write returns any version': (s) => ({
    prefix: '/pods/first/', rv: String(s.initialRV), match: 'NotOlderThan', oneOf: [[], [s.updated]],
  }),
  'an unknown resourceVersionMatch is rejected for any resource version': (s) => ({
    prefix: '/pods/first/', rv: String(s.initialRV), match: 'Invalid', fails: 'error', message: 'unknown ResourceVersionMatch value',
  }),
  'the current resource version returns the updated object': (s) => ({ prefix: '/pods/first/', rv: String(s.continueRV), items: [s.updated] }),
  'Exact at the current resource version echoes it': (s) => ({
    prefix: '/pods/first/', rv: String(s.continueRV), match: 'Exact', items: [s.updated], listRV: s.continueRV,
  }),
  'NotOlderThan the current resource version': (s) => ({
    prefix: '/pods/first/', rv: String(s.continueRV), match: 'NotOlderThan', items: [s.updated], listRVAtLeast: s.continueRV,
  }),
  'a missing prefix returns nothing': () => ({ prefix: '/pods/non-existing/', items: [] }),
  'a field selector can exclude everything': () => ({ prefix: '/pods/first/', predicate: { field: 'metadata.name!=bar' }, items: [] }),
  'a field selector can exclude everything, NotOlderThan': (s) => ({
    prefix: '/pods/first/', rv: String(s.continueRV), match: 'NotOlderThan', predicate: { field: 'metadata.name!=bar' }, items: [],
  }),
  'limit 1 returns a page, a token and the remaining count at the current revision': (s) => ({
    prefix: '/pods/second/', predicate: { limit: 1 }, items: [s.created[1]], listRV: s.currentRV,
    hasContinue: true, continueToken: token(`bar${NUL}`, s.currentRV), remainingItemCount: 1,
  }),
  'limit 1 with a resource version reads exactly at it (legacy)': (s) => ({
    prefix: '/pods/second/', rv: String(s.continueRV), predicate: { limit: 1 }, items: [s.created[1]], listRV: s.continueRV,
    hasContinue: true, continueToken: token(`bar${NUL}`, s.continueRV), remainingItemCount: 1,
  }),
  'limit 1, Exact at the current resource version': (s) => ({
    prefix: '/pods/second/', rv: String(s.continueRV), match: 'Exact', predicate: { limit: 1 }, items: [s.created[1]],
    listRV: s.continueRV, hasContinue: true, continueToken: token(`bar${NUL}`, s.continueRV), remainingItemCount: 1,
  }),
  'limit 1, NotOlderThan the current resource version': (s) => ({
    prefix: '/pods/second/', rv: String(s.continueRV), match: 'NotOlderThan', predicate: { limit: 1 }, items: [s.created[1]],
    hasContinue: true, remainingItemCount: 1, listRVAtLeast: s.continueRV,
  }),
  'limit 1 at resource version 0': (s) => ({
    prefix: '/pods/second/', rv: '0', predicate: { limit: 1 }, items: [s.created[1]],
    hasContinue: true, remainingItemCount: 1, listRVAtLeast: s.continueRV,
  }),
  'limit 1 at resource version 0, NotOlderThan': (s) => ({
    prefix: '/pods/second/', rv: '0', match: 'NotOlderThan', predicate: { limit: 1 }, items: [s.created[1]],
    hasContinue: true, remainingItemCount: 1, listRVAtLeast: s.continueRV,
  }),
  'limit 1, Exact before creation returns nothing and no token': (s) => ({
    prefix: '/pods/second/', rv: rvOf(s.created[0]), match: 'Exact', predicate: { limit: 1 }, items: [], listRV: rvNum(s.created[0]),
  }),
  'limit 1, Exact after one creation returns it and no token': (s) => ({
    prefix: '/pods/second/', rv: rvOf(s.created[1]), match: 'Exact', predicate: { limit: 1 }, items: [s.created[1]],
    listRV: rvNum(s.created[1]),
  }),
  'a pregenerated continue token resumes at its key': (s) => ({
    prefix: '/pods/second/', predicate: { limit: 1, continue: token('foo', s.continueRV) }, items: [s.created[2]],
  }),
  'resource version 0 is ignored with a continue token': (s) => ({
    prefix: '/pods/second/', rv: '0', predicate: { limit: 1, continue: token('foo', s.continueRV) }, items: [s.created[2]],
  }),
  'nested keys are flattened': (s) => ({ prefix: '/pods/second/', items: [s.created[1], s.created[2]] }),
  'nested keys are flattened, NotOlderThan': (s) => ({
    prefix: '/pods/second/', rv: String(s.continueRV), match: 'NotOlderThan', items: [s.created[1], s.created[2]],
  }),
  'a filter matching one object with limit 1 returns one page with a token': (s) => ({
    prefix: '/pods/', predicate: { field: 'metadata.name=barfoo', limit: 1 }, items: [s.created[3]], hasContinue: true,
  }),
  'a filter matching one object with limit 1, NotOlderThan': (s) => ({
    prefix: '/pods/', rv: String(s.continueRV), match: 'NotOlderThan', predicate: { field: 'metadata.name=barfoo', limit: 1 },
    items: [s.created[3]], hasContinue: true, listRVAtLeast: s.continueRV,
  }),
  'a filter matching one object with limit 2 covers the whole list': (s) => ({
    prefix: '/pods/', predicate: { field: 'metadata.name=barfoo', limit: 2 }, items: [s.created[3]],
  }),
  'a filter matching one object with limit 2 covers the whole list, NotOlderThan': (s) => ({
    prefix: '/pods/', rv: String(s.continueRV), match: 'NotOlderThan', predicate: { field: 'metadata.name=barfoo', limit: 2 },
    items: [s.created[3]], listRVAtLeast: s.continueRV,
  }),
  'a filter matching one object with limit 2 at resource version 0': (s) => ({
    prefix: '/pods/', rv: '0', predicate: { field: 'metadata.name=barfoo', limit: 2 }, oneOf: [[], [s.created[3]]],
  }),
  'a filter matching two objects with limit 2 may have more pages': (s) => ({
    prefix: '/pods/', predicate: { field: 'metadata.name=bar', limit: 2 }, items: [s.updated, s.created[1]], hasContinue: true,
  }),
  'a filter matching two objects with limit 2 may have more pages, NotOlderThan': (s) => ({
    prefix: '/pods/', rv: String(s.continueRV), match: 'NotOlderThan', predicate: { field: 'metadata.name=bar', limit: 2 },
    items: [s.updated, s.created[1]], hasContinue: true,
  }),
  'a filter whose two matches are far apart fills one page': (s) => ({
    prefix: '/pods/', predicate: { field: 'metadata.name=foo', limit: 2 }, items: [s.created[2], s.created[4]],
  }),
  'a filter whose two matches are far apart fills one page, NotOlderThan': (s) => ({
    prefix: '/pods/', rv: String(s.continueRV), match: 'NotOlderThan', predicate: { field: 'metadata.name=foo', limit: 2 },
    items: [s.created[2], s.created[4]],
  }),
  'a filtered last page ending on the last object is not full': (s) => ({
    prefix: '/pods/', predicate: { field: 'metadata.name=foo', limit: 2, continue: token('third/barfoo', s.continueRV) },
    items: [s.created[4]],
  }),
  'a filtered last page starting before the last object is full': (s) => ({
    prefix: '/pods/', predicate: { field: 'metadata.name=foo', limit: 1, continue: token('third/barfoo', s.continueRV) },
    items: [s.created[4]],
  }),
  'a filtered last page with room to spare': (s) => ({
    prefix: '/pods/', predicate: { field: 'metadata.name=foo', limit: 2, continue: token('third/barfoo', s.continueRV) },
    items: [s.created[4]],
  }),
  'a filter with a page as large as the list': (s) => ({
    prefix: '/pods/', predicate: { field: 'metadata.name=foo', limit: 5 }, items: [s.created[2], s.created[4]],
  }),
  'a filter with a page as large as the list, NotOlderThan': (s) => ({
    prefix: '/pods/', rv: String(s.continueRV), match: 'NotOlderThan', predicate: { field: 'metadata.name=foo', limit: 5 },
    items: [s.created[2], s.created[4]],
  }),
  'a one-object filter with a page as large as the list': (s) => ({
    prefix: '/pods/', predicate: { field: 'metadata.name=barfoo', limit: 5 }, items: [s.created[3]],
  }),
  'a one-object filter with a page as large as the list, NotOlderThan': (s) => ({
    prefix: '/pods/', rv: String(s.continueRV), match: 'NotOlderThan', predicate: { field: 'metadata.name=barfoo', limit: 5 },
    items: [s.created[3]],
  }),
  'everything': (s) => ({ prefix: '/pods/', items: [s.updated, s.created[1], s.created[2], s.created[3], s.created[4]] }),
  'everything, NotOlderThan': (s) => ({
    prefix: '/pods/', rv: String(s.continueRV), match: 'NotOlderThan',
    items: [s.updated, s.created[1], s.created[2], s.created[3], s.created[4]],
  }),
  'lists return the updated version of an object': (s) => ({
    prefix: '/pods/', rv: String(s.continueRV), match: 'NotOlderThan', predicate: { field: 'spec.nodeName=fakeNode', limit: 5 },
    items: [s.updated],
  }),
  'lists do not return deleted objects': (s) => ({
    prefix: '/pods/', rv: String(s.continueRV), match: 'NotOlderThan', predicate: { field: 'metadata.name=baz', limit: 5 },
    items: [],
  }),
  'a consistent list of an empty prefix returns the current global revision': (s) => ({
    prefix: '/pods/empty', items: [], listRV: s.currentRV,
  }),
  'a resource version 0 list of an empty prefix': (s) => ({
    prefix: '/pods/empty', rv: '0', items: [], listRVAtLeast: s.initialRV,
  }),
};
