import { RESOURCE_VERSION_TOO_LARGE_CAUSE } from './api-errors.js';
import { InternalError, InvalidError } from './internal-error.js';
import { StatusError } from './status.js';
import { StorageError, type StorageErrorCode } from './storage-error.js';

const hasStorageCode = (err: unknown, code: StorageErrorCode) => err instanceof StorageError && err.code === code;

export const isNotFound = (err: unknown): boolean => hasStorageCode(err, 'KeyNotFound');
export const isExist = (err: unknown): boolean => hasStorageCode(err, 'KeyExists');
export const isConflict = (err: unknown): boolean => hasStorageCode(err, 'ResourceVersionConflicts');
export const isInvalidObj = (err: unknown): boolean => hasStorageCode(err, 'InvalidObj');
export const isUnreachable = (err: unknown): boolean => hasStorageCode(err, 'Unreachable');
export const isRequestTimeout = (err: unknown): boolean => hasStorageCode(err, 'Timeout');
export const isCorruptObject = (err: unknown): boolean => hasStorageCode(err, 'CorruptObj');

const hasStatus = (err: unknown, code: number, reason?: string) =>
  err instanceof StatusError && err.status.code === code && (reason === undefined || err.status.reason === reason);

export const isResourceExpired = (err: unknown): boolean => hasStatus(err, 410, 'Expired');
export const isBadRequest = (err: unknown): boolean => hasStatus(err, 400, 'BadRequest');
/** 413: etcd (or a driver holding etcd's limit) refused a request larger than `--max-request-bytes`. */
export const isRequestEntityTooLarge = (err: unknown): boolean => hasStatus(err, 413, 'RequestEntityTooLarge');
export const isTooLargeResourceVersion = (err: unknown): boolean =>
  hasStatus(err, 504) &&
  ((err as StatusError).status.details?.causes ?? []).some((c) => c.type === RESOURCE_VERSION_TOO_LARGE_CAUSE);
/** Storage InternalError or a 500 InternalError status. */
export const isInternalError = (err: unknown): boolean =>
  err instanceof InternalError || hasStatus(err, 500, 'InternalError');
export const isInvalidError = (err: unknown): boolean => err instanceof InvalidError;
