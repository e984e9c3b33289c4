import { InvalidKeyError } from '../errors/internal-error.js';

const quote = (s: string) => JSON.stringify(s);

/**
 * Validates a resource key and normalizes it (Kubernetes `storage.PrepareKey`): no `.`/`..` segments, not empty, a
 * recursive key ends in `/` (so `/a` does not match `/ab`), and the key starts with the resource prefix.
 */
export function prepareKey(resourcePrefix: string, key: string, recursive: boolean): string {
  // Most keys have no dot at all, so the dot-segment checks can be skipped.
  if (key.includes('.')) checkDotSegments(key);
  if (key === '' || key === '/') throw new InvalidKeyError(`empty key: ${quote(key)}`, key);
  const prepared = recursive && !key.endsWith('/') ? `${key}/` : key;
  if (!prepared.startsWith(resourcePrefix)) {
    throw new InvalidKeyError(
      `invalid key: ${quote(prepared)} lacks resource prefix: ${quote(resourcePrefix)}`,
      prepared,
    );
  }
  return prepared;
}

function checkDotSegments(key: string): void {
  if (key === '..' || key.startsWith('../') || key.endsWith('/..') || key.includes('/../')) {
    throw new InvalidKeyError(`invalid key: ${quote(key)}`, key);
  }
  if (key === '.' || key.startsWith('./') || key.endsWith('/.') || key.includes('/./')) {
    throw new InvalidKeyError(`invalid key: ${quote(key)}`, key);
  }
}

/** `path.Join("/", prefix) + "/"`: the backend path every store key is placed under. */
export function pathPrefixOf(prefix: string): string {
  const joined = cleanPath(`/${prefix}`);
  return joined.endsWith('/') ? joined : `${joined}/`;
}

/** Go's `path.Clean` for absolute paths: resolves `.` and `..`, collapses slashes, drops a trailing slash. */
export function cleanPath(p: string): string {
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}
