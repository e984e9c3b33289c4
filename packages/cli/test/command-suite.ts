import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ok, POD_YAML, run, Running } from './storagectl.js';

export interface SuiteContext {
  /** Working directory of every invocation. */
  readonly cwd: string;
  /** Arguments that pick the backend (e.g. `--backend etcd3://…`), or none for the default SQLite file. */
  readonly backendArgs: readonly string[];
}

interface Obj {
  kind?: string;
  metadata: { name: string; namespace?: string; uid: string; resourceVersion: string; labels?: Record<string, string> };
  spec?: { nodeName?: string };
}

/**
 * Every storagectl command on a backend that keeps data between invocations (SQLite, etcd), as a user runs them
 * one after the other. The tests share the data they create, in order.
 */
export function commandSuite(context: () => SuiteContext): void {
  const sh = (...args: string[]) => ok([...context().backendArgs, ...args], { cwd: context().cwd });
  const fails = async (...args: string[]) => {
    const result = await run([...context().backendArgs, ...args], { cwd: context().cwd });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
    return result.stderr;
  };
  const json = async <T = Obj>(...args: string[]): Promise<T> => JSON.parse(await sh(...args, '-o', 'json')) as T;
  const names = async (...args: string[]) => (await sh(...args, '-o', 'name')).trim().split('\n').filter(Boolean).sort();
  const revision = async () => (await json<{ revision: number }>('status')).revision;

  it('create -f: YAML with several documents, the resource from kind, the namespace defaulted', async () => {
    const file = join(context().cwd, 'pods.yaml');
    writeFileSync(file, POD_YAML);
    expect((await sh('create', '-f', file)).trim().split('\n')).toEqual([
      'pods/web-0 created',
      'pods/web-1 created',
      'pods/db-0 created',
      'nodes/node-a created',
    ]);
  });

  it('create -f -: JSON from stdin, into the -n namespace', async () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { ports: [{ port: 80 }] } };
    const out = await ok([...context().backendArgs, 'create', '-f', '-', '-n', 'staging'], { cwd: context().cwd, input: JSON.stringify(svc) });
    expect(out.trim()).toBe('services/api created');
  });

  it('create of an existing object fails with AlreadyExists and exit code 1', async () => {
    const file = join(context().cwd, 'pods.yaml');
    expect(await fails('create', '-f', file)).toContain('Error from server (AlreadyExists): pods "web-0" already exists');
  });

  it('get: kubectl-style and raw addressing give the same object, in JSON and YAML', async () => {
    const pod = await json('get', 'pods', '-n', 'default', 'web-0');
    expect(pod.metadata).toMatchObject({ name: 'web-0', namespace: 'default' });
    expect(pod.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(pod.metadata.resourceVersion)).toBeGreaterThan(0);
    const raw = parse(await sh('get', '--key', '/pods/default/web-0', '-o', 'yaml')) as Obj;
    expect(raw).toEqual(pod);
    expect((await json('get', 'nodes', 'node-a')).metadata.name).toBe('node-a');
  });

  it('get RESOURCE lists the default namespace as a table', async () => {
    const lines = (await sh('get', 'pods')).trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+AGE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['web-0', 'web-1']);
  });

  it('list without a resource: every object under the prefix', async () => {
    expect(await names('list')).toEqual(['nodes/node-a', 'pods/db-0', 'pods/web-0', 'pods/web-1', 'services/api']);
    const table = (await sh('list')).trim().split('\n');
    expect(table[0]).toMatch(/^NAMESPACE\s+NAME\s+KIND\s+AGE$/);
    expect(table).toHaveLength(6);
    expect(await names('list', '-n', 'staging')).toEqual(['pods/db-0', 'services/api']);
  });

  it('list with label and field selectors, -A and -n', async () => {
    expect(await names('list', 'pods', '-A', '-l', 'app=web')).toEqual(['pods/web-0', 'pods/web-1']);
    expect(await names('list', 'pods', '-l', 'tier in (front)')).toEqual(['pods/web-0']);
    expect(await names('list', 'pods', '-A', '--field-selector', 'spec.nodeName=node-a')).toEqual(['pods/db-0', 'pods/web-0']);
    expect(await names('list', 'pods', '-n', 'staging')).toEqual(['pods/db-0']);
    const all = (await sh('list', 'pods', '-A')).trim().split('\n');
    expect(all[0]).toMatch(/^NAMESPACE\s+NAME\s+AGE$/);
  });

  it('list --limit / --continue pages through, at one resource version', async () => {
    type List = { items: Obj[]; metadata: { continue?: string; resourceVersion: string; remainingItemCount?: number } };
    const first = await json<List>('list', 'pods', '-A', '--limit', '2');
    expect(first.items).toHaveLength(2);
    expect(first.metadata.remainingItemCount).toBe(1);
    expect(first.metadata.continue).toBeTruthy();
    const second = await json<List>('list', 'pods', '-A', '--limit', '2', '--continue', first.metadata.continue!);
    expect(second.items).toHaveLength(1);
    expect(second.metadata.continue).toBeUndefined();
    expect([...first.items, ...second.items].map((p) => p.metadata.name).sort()).toEqual(['db-0', 'web-0', 'web-1']);
    // In table output the token goes to stderr, so stdout stays the listing.
    const table = await run([...context().backendArgs, 'list', 'pods', '-A', '--limit', '1'], { cwd: context().cwd });
    expect(table.stderr).toMatch(/more results: --continue \S+ \(2 remaining\)/);
  });

  it('patch applies a JSON merge patch; list --resource-version reads the older state', async () => {
    const before = await json('get', 'pods', 'web-0');
    expect((await sh('patch', 'pods', 'web-0', '-p', '{"spec":{"nodeName":"node-c"},"metadata":{"labels":{"tier":null}}}')).trim()).toBe('pods/web-0 patched');
    const after = await json('get', 'pods', 'web-0');
    expect(after.spec?.nodeName).toBe('node-c');
    expect(after.metadata.labels).toEqual({ app: 'web' });
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    const old = await json<{ items: Obj[] }>(
      'list', 'pods', '--resource-version', before.metadata.resourceVersion, '--resource-version-match', 'Exact',
    );
    expect(old.items.find((p) => p.metadata.name === 'web-0')?.spec?.nodeName).toBe('node-a');
    expect(await fails('patch', 'pods', 'nope', '-p', '{}')).toContain('Error from server (NotFound): pods "nope" not found');
  });

  it('replace -f writes the file over the object; a stale resourceVersion is a Conflict', async () => {
    const file = join(context().cwd, 'web-0.yaml');
    const current = parse(await sh('get', 'pods', 'web-0', '-o', 'yaml')) as Obj;
    writeFileSync(file, await sh('get', 'pods', 'web-0', '-o', 'yaml').then((y) => y.replace('node-c', 'node-d')));
    expect((await sh('replace', '-f', file)).trim()).toBe('pods/web-0 replaced');
    const replaced = await json('get', 'pods', 'web-0');
    expect(replaced.spec?.nodeName).toBe('node-d');
    expect(replaced.metadata.uid).toBe(current.metadata.uid);
    expect(await fails('replace', '-f', file)).toMatch(/Error from server \(Conflict\): Operation cannot be fulfilled on pods "web-0"/);
  });

  it('delete honours uid and resourceVersion preconditions', async () => {
    const pod = await json('get', 'pods', 'web-1');
    expect(await fails('delete', 'pods', 'web-1', '--uid', 'not-the-uid')).toContain('Precondition failed: UID in precondition: not-the-uid');
    expect(await fails('delete', 'pods', 'web-1', '--resource-version', '1')).toContain('Error from server (Conflict)');
    expect((await sh('get', 'pods', 'web-1', '-o', 'name')).trim()).toBe('pods/web-1');
    expect((await sh('delete', 'pods', 'web-1', '--uid', pod.metadata.uid, '--resource-version', pod.metadata.resourceVersion)).trim()).toBe(
      'pods "web-1" deleted',
    );
    expect(await fails('get', 'pods', 'web-1')).toContain('Error from server (NotFound): pods "web-1" not found');
  });

  it('watch from a resource version prints one JSON event a line until interrupted', async () => {
    const from = String(await revision());
    const watch = new Running([...context().backendArgs, 'watch', 'pods', '-A', '-o', 'json', '--resource-version', from], { cwd: context().cwd });
    try {
      const file = join(context().cwd, 'web-2.yaml');
      writeFileSync(file, 'kind: Pod\nmetadata: {name: web-2}\nspec: {nodeName: node-a}\n');
      await sh('create', '-f', file);
      await sh('patch', 'pods', 'web-2', '-p', '{"spec":{"nodeName":"node-b"}}');
      await sh('delete', 'pods', 'web-2');
      const events = (await watch.waitForLines(3)).map((l) => JSON.parse(l) as { type: string; object: Obj });
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'web-2'],
        ['MODIFIED', 'web-2'],
        ['DELETED', 'web-2'],
      ]);
      expect(events[1]!.object.spec?.nodeName).toBe('node-b');
    } finally {
      expect(await watch.interrupt()).toBe(0);
    }
  });

  it('watch -o yaml and table', async () => {
    const from = String((await revision()) - 1);
    const yaml = new Running([...context().backendArgs, 'watch', '-o', 'yaml', '--resource-version', from], { cwd: context().cwd });
    const table = new Running([...context().backendArgs, 'watch', 'pods', '-A', '--resource-version', from], { cwd: context().cwd });
    try {
      await table.waitForLines(2);
      expect(table.lines[0]).toMatch(/^EVENT\s+NAMESPACE\s+NAME\s+RESOURCE VERSION$/);
      expect(table.lines[1]).toMatch(/^DELETED\s+default\s+web-2\s+\d+$/);
      await yaml.waitForLines(4);
      const docs = parseAllDocuments(yaml.lines.join('\n')).map((d) => d.toJS() as { type: string; object: Obj });
      expect(docs[0]).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'web-2' } } });
    } finally {
      expect(await yaml.interrupt()).toBe(0);
      expect(await table.interrupt()).toBe(0);
    }
  });

  it('status reports revision, compact revision, size and object counts', async () => {
    const status = await json<Record<string, unknown>>('status');
    expect(status).toMatchObject({ prefix: '/registry', objectCount: 4, objectCounts: { pods: 2, nodes: 1, services: 1 } });
    expect(status.revision).toBeGreaterThan(5);
    expect(status.dbSizeBytes).toBeGreaterThan(0);
    const table = await sh('status');
    expect(table).toMatch(/BACKEND\s+PREFIX\s+REVISION\s+COMPACT REVISION\s+DB SIZE\s+OBJECTS/);
    expect(table).toMatch(/pods\s+2/);
  });

  it('health says healthy', async () => {
    expect(await sh('health')).toMatch(/ is healthy: took = [\d.]+ms/);
    const [doc] = await json<{ health: boolean }[]>('health');
    expect(doc?.health).toBe(true);
  });

  it('compact: history below the revision is gone, a watch from it ends with Expired and exit code 1', async () => {
    const rev = await revision();
    expect((await sh('compact', String(rev))).trim()).toBe(`compacted revision ${rev}`);
    expect((await json<{ compactRevision: number }>('status')).compactRevision).toBe(rev);
    const watch = await run([...context().backendArgs, 'watch', 'pods', '--resource-version', String(rev - 2), '-o', 'json'], { cwd: context().cwd });
    expect(watch.code).toBe(1);
    expect(watch.stderr).toContain('Error from server (Expired)');
    expect(await fails('list', 'pods', '--resource-version', String(rev - 2), '--resource-version-match', 'Exact')).toContain('Expired');
  });
}
