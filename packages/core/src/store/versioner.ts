import { InvalidError } from '../errors/internal-error.js';
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
  if (!UINT_PATTERN.test(resourceVersion)) {
    throw new InvalidError([
      {
        field: 'resourceVersion',
        value: resourceVersion,
        detail: `strconv.ParseUint: parsing ${JSON.stringify(resourceVersion)}: invalid syntax`,
      },
    ]);
  }
  const value = Number(resourceVersion);
  if (!Number.isSafeInteger(value)) {
    // uint64 values above 2^53 cannot be revisions of any backend here; treat them as far in the future.
    return Number.MAX_SAFE_INTEGER;
  }
  return value;
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
