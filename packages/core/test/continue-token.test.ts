import { describe, expect, it } from 'vitest';
import { decodeContinue, encodeContinue } from '../src/store/continue-token.js';

const b64 = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

describe('continue tokens', () => {
  it('encode byte-compatibly with Kubernetes (field order, raw URL base64, no padding)', () => {
    const token = encodeContinue('/registry/pods/ns/a\0', '/registry/pods/', 42);
    expect(token).toBe(b64('{"v":"meta.k8s.io/v1","rv":42,"start":"ns/a\\u0000"}'));
    expect(token).not.toMatch(/[=+/]/);
  });

  it('escape HTML characters the way Go encoding/json does', () => {
    const token = encodeContinue('/p/<a>&b\u2028', '/p/', 7);
    expect(Buffer.from(token, 'base64url').toString()).toBe(
      '{"v":"meta.k8s.io/v1","rv":7,"start":"\\u003ca\\u003e\\u0026b\\u2028"}',
    );
  });

  it('round-trip and resolve against the list prefix', () => {
    const token = encodeContinue('/registry/pods/ns/b\0', '/registry/pods/', -1);
    expect(decodeContinue(token, '/registry/pods/')).toEqual({ fromKey: '/registry/pods/ns/b\0', resourceVersion: -1 });
  });

  it.each([
    ['not base64', '!!!', /continue key is not valid/],
    ['padded base64', `${b64('{"v":"meta.k8s.io/v1","rv":1,"start":"a"}')}=`, /continue key is not valid/],
    ['not JSON', b64('nope'), /continue key is not valid/],
    ['unknown version', b64('{"v":"v2","rv":1,"start":"a"}'), /server does not recognize this encoded version/],
    ['zero rv', b64('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}'), /incorrect encoded start resourceVersion/],
    ['empty start', b64('{"v":"meta.k8s.io/v1","rv":3,"start":""}'), /encoded start key empty/],
    ['path traversal', b64('{"v":"meta.k8s.io/v1","rv":3,"start":"../secrets/x"}'), /continue key is not valid/],
  ])('reject %s', (_name, token, message) => {
    expect(() => decodeContinue(token, '/registry/pods/')).toThrow(message);
  });
});
