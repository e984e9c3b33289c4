/** Stable codes of StorageError (Kubernetes `storage.ErrCode*`). */
export type StorageErrorCode =
  | 'KeyNotFound'
  | 'KeyExists'
  | 'ResourceVersionConflicts'
  | 'InvalidObj'
  | 'Unreachable'
  | 'Timeout'
  | 'CorruptObj';

const CODE_NUMBER: Record<StorageErrorCode, number> = {
  KeyNotFound: 1,
  KeyExists: 2,
  ResourceVersionConflicts: 3,
  InvalidObj: 4,
  Unreachable: 5,
  Timeout: 6,
  CorruptObj: 7,
};

const CODE_MESSAGE: Record<StorageErrorCode, string> = {
  KeyNotFound: 'key not found',
  KeyExists: 'key exists',
  ResourceVersionConflicts: 'resource version conflicts',
  InvalidObj: 'invalid object',
  Unreachable: 'server unreachable',
  Timeout: 'request timeout',
  CorruptObj: 'corrupt object',
};

/**
 * A storage-level error with a stable code, the key and resource version involved, and the underlying cause.
 *
 * @example
 * try { await storage.get('/pods/ns/missing') } catch (e) { if (isNotFound(e)) … }
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  readonly key: string;
  readonly resourceVersion: number;
  readonly additionalErrorMsg: string;

  constructor(code: StorageErrorCode, key: string, resourceVersion: number, additional = '', cause?: unknown) {
    super(
      `StorageError: ${CODE_MESSAGE[code]}, Code: ${CODE_NUMBER[code]}, Key: ${key}, ` +
        `ResourceVersion: ${resourceVersion}, AdditionalErrorMsg: ${additional}`,
      cause === undefined ? undefined : { cause },
    );
    this.code = code;
    this.key = key;
    this.resourceVersion = resourceVersion;
    this.additionalErrorMsg = additional;
  }

  /** The numeric Kubernetes code (1 = KeyNotFound … 7 = CorruptObj). */
  get codeNumber(): number {
    return CODE_NUMBER[this.code];
  }
}

export const newKeyNotFoundError = (key: string, rv: number) => new StorageError('KeyNotFound', key, rv);
export const newKeyExistsError = (key: string, rv: number) => new StorageError('KeyExists', key, rv);
export const newResourceVersionConflictsError = (key: string, rv: number) =>
  new StorageError('ResourceVersionConflicts', key, rv);
export const newInvalidObjError = (key: string, msg: string) => new StorageError('InvalidObj', key, 0, msg);
export const newUnreachableError = (key: string, rv: number, cause?: unknown) =>
  new StorageError('Unreachable', key, rv, 'server unreachable', cause);
export const newTimeoutError = (key: string, msg: string) => new StorageError('Timeout', key, 0, msg);
export const newCorruptObjError = (key: string, cause: unknown) =>
  new StorageError('CorruptObj', key, 0, cause instanceof Error ? cause.message : String(cause), cause);
