import { create, forResource, configFromUrl, type StorageObject } from '@storagebackend/core';
import { startEtcd, type EtcdServer } from '@storagebackend/driver-etcd3/testing';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, run, Running, tempDir } from './storagectl.js';

const COUNT = 5_000;

/** Writes `count` pods (and a few services) into a SQLite file through the Store, as an app would. */
async function seed(path: string, count: number, ttlSeconds?: number, prefix = '/registry'): Promise<void> {
  const config = configFromUrl(`sqlite:${path}`, { compactionIntervalMs: 0, prefix });
  const pods = await create<StorageObject>(forResource(config, { group: '', resource: 'pods' }));
  try {
    for (let i = 0; i < count; i++) {
      const name = `pod-${String(i).padStart(5, '0')}`;
      await pods.storage.create(`/pods/ns-${i % 7}/${name}`, { kind: 'Pod', metadata: { name, namespace: `ns-${i % 7}` }, spec: { n: i } }, ttlSeconds ? { ttlSeconds } : {});
    }
  } finally {
    await pods.destroy();
  }
}

interface Status {
  revision: number;
  compactRevision: number;
  objectCount: number;
}

describe('storagectl migrate: SQLite → etcd → SQLite with verification', () => {
  const temp = tempDir('storagectl-migrate-');
  const cwd = temp.dir;
  let etcd: EtcdServer;
  const status = async (backend: string) => JSON.parse(await ok(['--backend', backend, 'status', '-o', 'json'], { cwd })) as Status;

  beforeAll(async () => {
    etcd = await startEtcd();
    await seed(join(cwd, 'source.db'), COUNT);
  }, 120_000);
  afterAll(async () => {
    await etcd?.stop();
    temp.remove();
  });

  it('copies 5,000 objects to etcd: same keys and values, revisions above the source, old ones 410', async () => {
    const before = await status('sqlite:./source.db');
    expect(before.objectCount).toBe(COUNT);
    const out = await ok(['migrate', '--from', 'sqlite:./source.db', '--to', etcd.endpoint, '-o', 'json'], { cwd, timeoutMs: 120_000 });
    const summary = JSON.parse(out) as Record<string, unknown>;
    expect(summary).toMatchObject({ copied: COUNT, sourceRevision: before.revision, verification: { ok: true, sourceCount: COUNT, targetCount: COUNT } });
    // The source is only read.
    expect(await status('sqlite:./source.db')).toEqual(before);
    const target = await status(etcd.endpoint);
    expect(target.objectCount).toBe(COUNT);
    expect(target.compactRevision).toBe(target.revision);
    expect(target.revision).toBeGreaterThan(before.revision + COUNT - 1);
    // Every copied object has a resource version above anything the source handed out.
    const pod = JSON.parse(await ok(['--backend', etcd.endpoint, 'get', 'pods', '-n', 'ns-0', 'pod-00000', '-o', 'json'], { cwd })) as StorageObject;
    expect(Number(pod.metadata.resourceVersion)).toBeGreaterThan(before.revision);
    // A client holding a source resourceVersion relists instead of reading the wrong history.
    const old = await run(['--backend', etcd.endpoint, 'watch', 'pods', '-A', '--resource-version', String(before.revision - 1)], { cwd });
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('Error from server (Expired)');
  }, 180_000);

  it('and back from etcd to a second SQLite file, verified', async () => {
    const out = await ok(['migrate', '--from', etcd.endpoint, '--to', 'sqlite:./back.db'], { cwd, timeoutMs: 120_000 });
    expect(out).toContain(`verified ${COUNT} keys: count and SHA-256 of every value match`);
    const verify = await ok(['migrate', '--from', 'sqlite:./source.db', '--to', 'sqlite:./back.db', '--verify-only'], { cwd });
    expect(verify.trim()).toBe(`verified ${COUNT} keys: count and SHA-256 of every value match`);
  }, 180_000);

  it('refuses a non-empty target without --force, writing nothing', async () => {
    const before = await status('sqlite:./back.db');
    const result = await run(['migrate', '--from', 'sqlite:./source.db', '--to', 'sqlite:./back.db'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the target already holds ${COUNT} keys under /registry/; pass --force`);
    expect(await status('sqlite:./back.db')).toEqual(before);
  });

  it('--verify-only finds a changed, a missing and an extra key; --force makes the target a copy again', async () => {
    await ok(['--backend', 'sqlite:./back.db', 'patch', 'pods', '-n', 'ns-1', 'pod-00001', '-p', '{"spec":{"n":-1}}'], { cwd });
    await ok(['--backend', 'sqlite:./back.db', 'delete', 'pods', '-n', 'ns-2', 'pod-00002'], { cwd });
    await ok(['--backend', 'sqlite:./back.db', 'create', '-f', '-'], { cwd, input: 'kind: Pod\nmetadata: {name: intruder}\n' });
    const verify = await run(['migrate', '--from', 'sqlite:./source.db', '--to', 'sqlite:./back.db', '--verify-only'], { cwd });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`verification FAILED: source ${COUNT} keys, target ${COUNT}`);
    expect(verify.stdout).toContain('missing on the target (1): /registry/pods/ns-2/pod-00002');
    expect(verify.stdout).toContain('different values (1): /registry/pods/ns-1/pod-00001');
    expect(verify.stdout).toContain('only on the target (1): /registry/pods/default/intruder');
    const forced = await ok(['migrate', '--from', 'sqlite:./source.db', '--to', 'sqlite:./back.db', '--force'], { cwd, timeoutMs: 120_000 });
    expect(forced).toContain(`verified ${COUNT} keys`);
  }, 180_000);

  it('an interrupted copy (Ctrl-C, then a crash) resumes from its checkpoint and verifies', async () => {
    await seed(join(cwd, 'resume.db'), COUNT, undefined, '/resume');
    const args = ['--prefix', '/resume', 'migrate', '--from', 'sqlite:./resume.db', '--to', etcd.endpoint];
    const progressed = async (running: Running) => {
      const deadline = Date.now() + 60_000;
      while (!/copied [1-9]\d*\/5000 keys/.test(running.stderr)) {
        if (Date.now() > deadline) throw new Error(`no progress: ${running.stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const first = new Running(args, { cwd });
    await progressed(first);
    expect(await first.interrupt()).toBe(1);
    expect(first.stderr).toMatch(/interrupted after \d+ of 5000 keys; run the same command with --resume/);
    const copiedBefore = Number(/interrupted after (\d+)/.exec(first.stderr)![1]);
    expect(copiedBefore).toBeLessThan(COUNT);

    const again = await run(args, { cwd });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('an interrupted migration left ./storagectl-migrate.json; pass --resume');

    const second = new Running([...args, '--resume'], { cwd });
    await progressed(second);
    second.kill();
    await second.exited();

    const last = await ok([...args, '--resume', '-o', 'json'], { cwd, timeoutMs: 120_000 });
    expect(JSON.parse(last)).toMatchObject({ copied: COUNT, verification: { ok: true, sourceCount: COUNT, targetCount: COUNT } });
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(cwd, 'storagectl-migrate.json'))).toBe(false);
  }, 240_000);
});

describe('storagectl migrate --follow: writes made during the migration reach the target', () => {
  const temp = tempDir('storagectl-follow-');
  const cwd = temp.dir;
  afterAll(temp.remove);

  it('copies, applies creates, patches and deletes until interrupted, then verifies', async () => {
    await seed(join(cwd, 'live.db'), 50);
    const migrate = new Running(['migrate', '--from', 'sqlite:./live.db', '--to', 'sqlite:./live-copy.db', '--follow'], { cwd });
    try {
      const deadline = Date.now() + 20_000;
      while (!migrate.stderr.includes('following changes after source revision')) {
        if (Date.now() > deadline) throw new Error(`migrate did not start following: ${migrate.stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const src = ['--backend', 'sqlite:./live.db'];
      await ok([...src, 'create', '-f', '-'], { cwd, input: 'kind: Pod\nmetadata: {name: late}\n' });
      await ok([...src, 'patch', 'pods', '-n', 'ns-0', 'pod-00000', '-p', '{"spec":{"n":1000}}'], { cwd });
      await ok([...src, 'delete', 'pods', '-n', 'ns-1', 'pod-00001'], { cwd });
      const dst = ['--backend', 'sqlite:./live-copy.db'];
      for (;;) {
        const gone = await run([...dst, 'get', 'pods', '-n', 'ns-1', 'pod-00001'], { cwd });
        if (gone.code === 1) break;
        if (Date.now() > deadline) throw new Error('the delete never reached the target');
      }
      expect((await ok([...dst, 'get', 'pods', 'late', '-o', 'name'], { cwd })).trim()).toBe('pods/late');
      const patched = JSON.parse(await ok([...dst, 'get', 'pods', '-n', 'ns-0', 'pod-00000', '-o', 'json'], { cwd })) as { spec: { n: number } };
      expect(patched.spec.n).toBe(1000);
    } finally {
      expect(await migrate.interrupt()).toBe(0);
    }
    expect(migrate.lines.join('\n')).toContain('verified 50 keys: count and SHA-256 of every value match');
    expect(migrate.stderr).toMatch(/stopped following at source revision \d+/);
  }, 120_000);
});

describe('storagectl migrate: refusals', () => {
  const temp = tempDir('storagectl-migrate-bad-');
  const cwd = temp.dir;
  afterAll(temp.remove);

  it('keys with a TTL are refused before anything is written, unless --drop-leases', async () => {
    await seed(join(cwd, 'ttl.db'), 3, 3600);
    const refused = await run(['migrate', '--from', 'sqlite:./ttl.db', '--to', 'sqlite:./ttl-copy.db'], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('3 keys have a lease');
    const empty = JSON.parse(await ok(['--backend', 'sqlite:./ttl-copy.db', 'status', '-o', 'json'], { cwd })) as Status;
    expect([empty.revision, empty.objectCount]).toEqual([1, 0]);
    const dropped = JSON.parse(await ok(['migrate', '--from', 'sqlite:./ttl.db', '--to', 'sqlite:./ttl-copy.db', '--drop-leases', '-o', 'json'], { cwd })) as Record<string, unknown>;
    expect(dropped).toMatchObject({ copied: 3, leasesDropped: 3, verification: { ok: true } });
  });

  it.each([
    [['migrate', '--to', 'sqlite:./x.db'], "required option '--from <url>' not specified"],
    [['migrate', '--from', 'sqlite:./a.db', '--to', 'nope'], 'invalid storage config: --to:'],
    [['migrate', '--from', 'sqlite:./a.db', '--to', 'sqlite:./a.db'], '--from and --to name the same backend'],
    [['migrate', '--from', 'sqlite:./a.db', '--to', 'sqlite:./b.db', '--follow', '--verify-only'], '--follow and --verify-only exclude each other'],
  ])('%j is a usage error', async (args, message) => {
    const result = await run(args, { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
