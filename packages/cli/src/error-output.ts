import {
  ConfigError,
  InvalidError,
  InvalidKeyError,
  StatusError,
  StorageError,
  isConfigFieldError,
  isInvalidSelectorError,
  redactUrl,
} from '@storagebackend/core';
import { CommanderError } from 'commander';
import type { Address } from './address.js';
import { CommandError, UsageError } from './usage-error.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** What to print and which exit code: 2 for usage errors (flags, arguments, URL, config), 1 for failed operations. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (err instanceof UsageError || isConfigFieldError(err) || isInvalidSelectorError(err)) return EXIT_USAGE;
  return EXIT_FAILED;
}

const what = (a?: Address): string => `${a?.resource ?? 'objects'} "${a?.name ?? a?.key ?? ''}"`;

function storageMessage(err: StorageError, address?: Address): string {
  switch (err.code) {
    case 'KeyNotFound':
      return `Error from server (NotFound): ${what(address)} not found`;
    case 'KeyExists':
      return `Error from server (AlreadyExists): ${what(address)} already exists`;
    case 'ResourceVersionConflicts':
      return `Error from server (Conflict): Operation cannot be fulfilled on ${what(address)}: the object has been modified; please apply your changes to the latest version and try again`;
    case 'InvalidObj':
      // Failed preconditions are InvalidObj in storage and 409 Conflict at the API (Kubernetes' conversion).
      return err.additionalErrorMsg.startsWith('Precondition failed')
        ? `Error from server (Conflict): Operation cannot be fulfilled on ${what(address)}: ${err.additionalErrorMsg}`
        : `Error from server (Invalid): ${what(address)} is invalid: ${err.additionalErrorMsg || err.message}`;
    case 'Unreachable':
      return `Unable to connect to the server: ${detail(err)}`;
    case 'Timeout':
      return `Unable to connect to the server: the request timed out (${detail(err)})`;
    default:
      return `Error from server (InternalError): ${err.message}`;
  }
}

const detail = (err: StorageError): string => {
  const cause = (err as { cause?: unknown }).cause;
  return err.additionalErrorMsg || (cause instanceof Error ? cause.message : '') || err.message;
};

/** The error in kubectl's words (`Error from server (NotFound): pods "web-0" not found`, `error: …`), no secrets. */
export function errorMessage(err: unknown, address?: Address): string {
  let text: string;
  if (err instanceof StorageError) text = storageMessage(err, address);
  else if (err instanceof StatusError) text = `Error from server (${err.reason}): ${err.message}`;
  else if (err instanceof InvalidError) text = `Error from server (BadRequest): ${err.message}`;
  else if (err instanceof InvalidKeyError) text = `error: ${err.message}`;
  else if (err instanceof UsageError || err instanceof CommandError || err instanceof ConfigError) text = `error: ${err.message}`;
  else if ((err as { name?: string })?.name === 'TimeoutError') text = 'Unable to connect to the server: the request timed out';
  else if ((err as { code?: string })?.code === 'Unreachable') text = `Unable to connect to the server: ${(err as Error).message}`;
  else if (err instanceof Error) text = `error: ${err.message}`;
  else text = `error: ${String(err)}`;
  return redactUrl(text);
}

/** The stack for `--debug`, also without secrets. */
export function debugDetail(err: unknown): string {
  const parts: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur instanceof Error && depth < 5; depth++) {
    parts.push(cur.stack ?? String(cur));
    cur = (cur as { cause?: unknown }).cause;
  }
  return redactUrl(parts.join('\ncaused by: '));
}
