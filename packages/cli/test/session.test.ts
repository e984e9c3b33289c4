import { configFromUrl } from '@storagebackend/core';
import { describe, expect, it } from 'vitest';
import { objectAddress, listAddress, rawAddress, resourceForKind } from '../src/address.js';
import { applyMergePatch } from '../src/merge-patch.js';
import { describeBackend, parseDuration, prefixPath } from '../src/session.js';
import { humanDuration } from '../src/table.js';

describe('storagectl building blocks', () => {
  it('describes backends without passwords', () => {
    expect(describeBackend(configFromUrl('redis://app:hunter2@h:6379/1'))).toBe('redis://app:***@h:6379/1');
    expect(describeBackend(configFromUrl('redis+cluster://:pw@a:1,b:2'))).toBe('redis://:***@a:1,redis://:***@b:2');
    expect(describeBackend(configFromUrl('sqlite:./x.db'))).toBe('sqlite:./x.db');
    expect(describeBackend(configFromUrl('memory:'))).toBe('memory: (private)');
    expect(describeBackend(configFromUrl('etcd3://a:1,b:2'))).toBe('http://a:1,http://b:2');
  });

  it('addresses objects the way kube-apiserver lays out keys', () => {
    expect(objectAddress('pods', 'web-0', {}).key).toBe('/pods/default/web-0');
    expect(objectAddress('Pods', 'web-0', { namespace: 'kube-system' }).key).toBe('/pods/kube-system/web-0');
    expect(objectAddress('nodes', 'n1', { namespace: 'ignored' }).key).toBe('/nodes/n1');
    expect(objectAddress('deployments.apps', 'web', {}).key).toBe('/apps/deployments/default/web');
    expect(listAddress('pods', { allNamespaces: true }).key).toBe('/pods/');
    expect(listAddress('pods', {}).key).toBe('/pods/default/');
    expect(rawAddress('/pods/default/web-0')).toMatchObject({ resource: 'pods', name: 'web-0' });
    expect(() => rawAddress('pods/x')).toThrow('--key must start with "/"');
    expect(() => objectAddress('pods', '../x', {})).toThrow('invalid name');
  });

  it("guesses resources from kinds like kubectl", () => {
    expect(['Pod', 'Ingress', 'NetworkPolicy', 'Endpoints', 'Gateway', 'ConfigMap'].map(resourceForKind)).toEqual([
      'pods', 'ingresses', 'networkpolicies', 'endpoints', 'gateways', 'configmaps',
    ]);
  });

  it('applies RFC 7386 merge patches', () => {
    expect(applyMergePatch({ a: 'b', c: { d: 'e', f: 'g' } }, { a: 'z', c: { f: null } })).toEqual({ a: 'z', c: { d: 'e' } });
    expect(applyMergePatch({ a: [1, 2] }, { a: [3] })).toEqual({ a: [3] });
    expect(applyMergePatch({ a: 'b' }, { b: { c: null } })).toEqual({ a: 'b', b: {} });
  });

  it('parses durations and prefixes', () => {
    expect(['500ms', '10s', '2m', '1h', '3', '0'].map((d) => parseDuration(d, '--x'))).toEqual([500, 10_000, 120_000, 3_600_000, 3000, 0]);
    expect(() => parseDuration('-1s', '--x')).toThrow('invalid --x');
    expect(prefixPath('/registry')).toBe('/registry/');
    expect(prefixPath('registry//x/')).toBe('/registry/x/');
    expect(() => prefixPath('/')).toThrow('below the root');
    expect(() => prefixPath('/a/../b')).toThrow('below the root');
  });

  it("formats ages like kubectl", () => {
    expect([5_000, 150_000, 1_800_000, 5 * 3_600_000 + 60_000, 30 * 3_600_000, 3 * 86_400_000, 400 * 86_400_000].map(humanDuration)).toEqual([
      '5s', '2m30s', '30m', '5h1m', '30h', '3d', '400d',
    ]);
  });
});

describe('migrate progress', () => {
  const stream = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
  };

  it('draws a bar with rate and ETA on a terminal, ending with a newline', async () => {
    const { progressReporter } = await import('../src/migrate/progress.js');
    const tty = stream(true);
    const report = progressReporter(0, tty.stream);
    await new Promise((r) => setTimeout(r, 20));
    report(500, 1000);
    report(1000, 1000);
    expect(tty.writes[0]).toMatch(/^\r\u001b\[K\[#{15}\.{15}\] 500\/1000 keys, \d+ keys\/s, ETA \d+s$/);
    expect(tty.writes.at(-1)).toMatch(/\[#{30}\] 1000\/1000 keys, \d+ keys\/s\n$/);
  });

  it('prints plain lines, at most one a second and always the last, elsewhere', async () => {
    const { progressReporter } = await import('../src/migrate/progress.js');
    const plain = stream(false);
    const report = progressReporter(100, plain.stream);
    report(200, 1000);
    report(300, 1000);
    report(1000, 1000);
    expect(plain.writes).toHaveLength(2);
    expect(plain.writes[0]).toMatch(/^copied 200\/1000 keys, \d+ keys\/s, ETA \d+s\n$/);
    expect(plain.writes[1]).toMatch(/^copied 1000\/1000 keys/);
  });
});
