import { goQuote } from '../selection/go-quote.js';

/**
 * A failure inside the storage layer (transformer or codec), Kubernetes `storage.InternalError`: its message is the
 * reason alone, as Go's `Error()`; "Internal error occurred: " is added once where it becomes an API status (500).
 */
export class InternalError extends Error {
  override readonly name = 'InternalError';
  readonly reason: string;

  constructor(reason: string, cause?: unknown) {
    super(reason, cause === undefined ? undefined : { cause });
    this.reason = reason;
  }
}

export interface FieldError {
  readonly field: string;
  readonly value: string;
  readonly detail: string;
}

/** Invalid input fields, Kubernetes `storage.InvalidError` (e.g. an unparsable resourceVersion). */
export class InvalidError extends Error {
  override readonly name = 'InvalidError';
  readonly errs: readonly FieldError[];

  constructor(errs: readonly FieldError[]) {
    super(errs.map((e) => `${e.field}: Invalid value: ${goQuote(e.value)}: ${e.detail}`).join(', '));
    this.errs = errs;
  }
}

/** A key failed PrepareKey rules (`empty key`, `invalid key`, `lacks resource prefix`). */
export class InvalidKeyError extends Error {
  override readonly name = 'InvalidKeyError';
  readonly key: string;

  constructor(message: string, key: string) {
    super(message);
    this.key = key;
  }
}

/** A configuration is unusable (unknown type, etcd2, bad TLS files, bad driver options). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: 'UnknownStorageType' | 'UnsupportedStorageType' | 'DriverNotInstalled' | 'InvalidConfig';

  constructor(code: ConfigError['code'], message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }
}

export const ERR_RESOURCE_VERSION_SET_ON_CREATE = 'resourceVersion should not be set on objects to be created';
export const ERR_STORAGE_NOT_READY = 'storage not ready';

/** Create was given an object that already has a resourceVersion (`storage.ErrResourceVersionSetOnCreate`). */
export class ResourceVersionSetOnCreateError extends Error {
  override readonly name = 'ResourceVersionSetOnCreateError';
  constructor() {
    super(ERR_RESOURCE_VERSION_SET_ON_CREATE);
  }
}
