import { InvalidError } from '../errors/internal-error.js';
import { goQuote } from '../selection/go-quote.js';
import type { ObjectList, StorageObject } from '../storage/object.js';

const UINT_PATTERN = /^[0-9]+$/;

/**
 * Reads and writes resource versions on objects (Kubernetes `APIObjectVersioner`): decimal strings of the
 * backend's mod revision, `''` for none.
 *
 * @example
 * versioner.parseResourceVersion('42'); // 42
 * versioner.parseResourceVersion('abc'); // throws InvalidError
 */
export interface Versioner {
  updateObject(obj: StorageObject, resourceVersion: number): void;
  updateList(list: ObjectList<unknown>, resourceVersion: number, continueToken: string, remainingItemCount?: number): void;
  /** Clears `resourceVersion` and `selfLink` before the object is encoded for storage. */
  prepareObjectForStorage(obj: StorageObject): void;
  objectResourceVersion(obj: StorageObject): number;
  parseResourceVersion(resourceVersion: string | undefined): number;
}

export function parseResourceVersion(resourceVersion: string | undefined): number {
  if (resourceVersion === undefined || resourceVersion === '' || resourceVersion === '0') return 0;
  if (!UINT_PATTERN.test(resourceVersion)) throw parseUintError(resourceVersion, 'invalid syntax');
  const value = Number(resourceVersion);
  if (Number.isSafeInteger(value)) return value;
  if (BigInt(resourceVersion) > MAX_UINT64) throw parseUintError(resourceVersion, 'value out of range');
  // A uint64 above 2^53 is a revision no backend here has reached: far in the future, ordered above every real one.
  return Number.MAX_SAFE_INTEGER;
}

const MAX_UINT64 = 2n ** 64n - 1n;

/** Go's `strconv.ParseUint` error, wrapped as `storage.InvalidError` on the `resourceVersion` field. */
function parseUintError(resourceVersion: string, reason: string): InvalidError {
  return new InvalidError([
    {
      field: 'resourceVersion',
      value: resourceVersion,
      detail: `strconv.ParseUint: parsing ${goQuote(resourceVersion)}: ${reason}`,
    },
  ]);
}

/**
 * The requested revision as Go would print it: `parseResourceVersion` caps uint64 values above 2^53, so messages
 * take the digits the caller sent.
 */
export function requestedRevision(parsed: number, resourceVersion: string | undefined): number | bigint {
  return Number.isSafeInteger(parsed) && parsed < Number.MAX_SAFE_INTEGER
    ? parsed
    : resourceVersion !== undefined && UINT_PATTERN.test(resourceVersion)
      ? BigInt(resourceVersion)
      : parsed;
}

export const apiObjectVersioner: Versioner = {
  updateObject(obj, resourceVersion) {
    obj.metadata ??= {};
    if (resourceVersion === 0) delete obj.metadata.resourceVersion;
    else obj.metadata.resourceVersion = String(resourceVersion);
  },
  updateList(list, resourceVersion, continueToken, remainingItemCount) {
    if (resourceVersion === 0) throw new Error('illegal resource version from storage: 0');
    list.metadata = { resourceVersion: String(resourceVersion) };
    if (continueToken !== '') list.metadata.continue = continueToken;
    if (remainingItemCount !== undefined) list.metadata.remainingItemCount = remainingItemCount;
  },
  prepareObjectForStorage(obj) {
    if (!obj.metadata) return;
    delete obj.metadata.resourceVersion;
    delete obj.metadata.selfLink;
  },
  objectResourceVersion(obj) {
    return parseResourceVersion(obj.metadata?.resourceVersion);
  },
  parseResourceVersion,
};
