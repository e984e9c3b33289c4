import { describe, expect, it } from 'vitest';
import { InvalidKeyError } from '../src/errors/internal-error.js';
import { pathPrefixOf, prepareKey } from '../src/store/keys.js';

describe('prepareKey', () => {
  it.each([
    ['', false, 'empty key: ""'],
    ['/', true, 'empty key: "/"'],
    ['.', false, 'invalid key: "."'],
    ['..', false, 'invalid key: ".."'],
    ['/pods/../secrets/x', false, 'invalid key: "/pods/../secrets/x"'],
    ['/pods/./x', false, 'invalid key: "/pods/./x"'],
    ['pods', false, 'invalid key: "pods" lacks resource prefix: "/pods/"'],
    ['/pods.apps', true, 'invalid key: "/pods.apps/" lacks resource prefix: "/pods/"'],
    ['/pods', false, 'invalid key: "/pods" lacks resource prefix: "/pods/"'],
  ])('rejects %j (recursive=%s) with the Kubernetes wording', (key, recursive, message) => {
    const attempt = () => prepareKey('/pods/', key, recursive);
    expect(attempt).toThrow(InvalidKeyError);
    expect(attempt).toThrow(message);
  });

  it('accepts resource keys and makes recursive keys end in a slash', () => {
    expect(prepareKey('/pods/', '/pods', true)).toBe('/pods/');
    expect(prepareKey('/pods/', '/pods/', false)).toBe('/pods/');
    expect(prepareKey('/pods/', '/pods/ns', true)).toBe('/pods/ns/');
    expect(prepareKey('/pods/', '/pods/ns/name', false)).toBe('/pods/ns/name');
  });

  it('places keys under path.Join("/", prefix)', () => {
    expect(pathPrefixOf('')).toBe('/');
    expect(pathPrefixOf('/registry')).toBe('/registry/');
    expect(pathPrefixOf('registry/')).toBe('/registry/');
  });
});
