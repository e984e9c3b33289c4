import { cleanPath } from './keys.js';

const API_VERSION = 'meta.k8s.io/v1';

export const ERR_GENERIC_INVALID_KEY = 'continue key is not valid';
export const ERR_INVALID_START_RV =
  'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)';
export const ERR_EMPTY_START_KEY = 'continue key is not valid: encoded start key empty (version meta.k8s.io/v1)';
export const ERR_UNRECOGNIZED_ENCODED_VERSION =
  'continue key is not valid: server does not recognize this encoded version';

/** A continue token that cannot be decoded; the store reports it as 400 BadRequest. */
export class InvalidContinueTokenError extends Error {
  override readonly name = 'InvalidContinueTokenError';
}

/** JSON exactly as Go's encoding/json writes it: HTML-safe escapes for < > & and U+2028/U+2029. */
function goJsonString(value: string): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Encodes a Kubernetes continue token: unpadded URL-safe base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":"…"}`
 * where start is `key` relative to `keyPrefix`.
 */
export function encodeContinue(key: string, keyPrefix: string, resourceVersion: number): string {
  if (!key.startsWith(keyPrefix)) {
    throw new InvalidContinueTokenError('unable to encode next field: the key and key prefix do not match');
  }
  const start = key.slice(keyPrefix.length);
  const json = `{"v":${goJsonString(API_VERSION)},"rv":${resourceVersion},"start":${goJsonString(start)}}`;
  return Buffer.from(json, 'utf8').toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes a continue token into the backend key to continue from and the revision to read at (−1 = latest). */
export function decodeContinue(token: string, keyPrefix: string): { fromKey: string; resourceVersion: number } {
  // Go's RawURLEncoding rejects padding and foreign characters; a dangling 6-bit group is also invalid.
  if (!BASE64URL.test(token) || token.length % 4 === 1) {
    throw new InvalidContinueTokenError(`${ERR_GENERIC_INVALID_KEY}: illegal base64 data`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (err) {
    throw new InvalidContinueTokenError(`${ERR_GENERIC_INVALID_KEY}: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidContinueTokenError(`${ERR_GENERIC_INVALID_KEY}: not a JSON object`);
  }
  const { v, rv, start } = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if ((v !== undefined && typeof v !== 'string') || (rv !== undefined && !Number.isSafeInteger(rv))) {
    throw new InvalidContinueTokenError(`${ERR_GENERIC_INVALID_KEY}: malformed field`);
  }
  if (start !== undefined && typeof start !== 'string') {
    throw new InvalidContinueTokenError(`${ERR_GENERIC_INVALID_KEY}: malformed field`);
  }
  if (v !== API_VERSION) throw new InvalidContinueTokenError(`${ERR_UNRECOGNIZED_ENCODED_VERSION} ${v ?? ''}`);
  const resourceVersion = (rv as number | undefined) ?? 0;
  if (resourceVersion === 0) throw new InvalidContinueTokenError(ERR_INVALID_START_RV);
  if (!start) throw new InvalidContinueTokenError(ERR_EMPTY_START_KEY);
  // Defend against path traversal: the start key must already be clean, so it stays inside the prefix.
  const rooted = start.startsWith('/') ? start : `/${start}`;
  if (cleanPath(rooted) !== rooted) throw new InvalidContinueTokenError(`${ERR_GENERIC_INVALID_KEY}: ${start}`);
  return { fromKey: keyPrefix + rooted.slice(1), resourceVersion };
}
