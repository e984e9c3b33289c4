// Store over the SQLite driver vs raw better-sqlite3, same run, same filesystem, both WAL + synchronous=NORMAL:
// create one at a time and with 64 in flight vs autocommit inserts, get vs a point select, and a list at the
// latest revision of 10k keys with 100 revisions each vs 1 revision each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createStore, newDefaultConfig } from '@storagebackend/core';
import { createSqliteDriver } from '@storagebackend/driver-sqlite';
import { measurePair, pod, ratioLine } from './lib.mjs';

const N = 5_000;
const LIST_KEYS = 10_000;
const LIST_REVISIONS = 100;
const name = (i) => `p-${String(i).padStart(6, '0')}`;

async function inFlight(n, total, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let i = next++; i < total; i = next++) await fn(i);
    }),
  );
}

function config(file) {
  const base = newDefaultConfig('/registry');
  return {
    ...base,
    type: 'sqlite',
    transport: { ...base.transport, serverList: [file] },
    groupResource: { group: '', resource: 'pods' },
  };
}

export async function benchSqlite(log) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-sqlite-'));
  const driver = createSqliteDriver();
  const opened = [];
  const open = async (file) => {
    const backend = await driver.createBackend(config(join(dir, file)));
    opened.push(backend);
    return { backend, store: createStore({ backend, prefix: '/registry', resourcePrefix: '/pods/' }) };
  };
  const raw = new Database(join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec('CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB NOT NULL)');
  const insert = raw.prepare('INSERT INTO kv (key, value) VALUES (?, ?)');
  const select = raw.prepare('SELECT value FROM kv WHERE key = ?').pluck();
  try {
    const { store } = await open('store.db');
    const rawInsert = async (r) => {
      for (let i = 0; i < N; i++) {
        const body = Buffer.from(JSON.stringify(pod('ns', name(i), i)));
        insert.run(`/registry/pods/r${r}/${name(i)}`, body);
        if (i % 64 === 63) await null; // yield like an async caller would, without changing the work
      }
    };
    let round = 0;
    const [rawCreate1, storeCreate1] = await measurePair(N, rawInsert, async (r) => {
      round = r;
      for (let i = 0; i < N; i++) await store.create(`/pods/s1r${r}/${name(i)}`, pod('ns', name(i), i));
    });
    const [rawCreate64, storeCreate64] = await measurePair(
      N,
      (r) => rawInsert(r + 1000),
      (r) => inFlight(64, N, (i) => store.create(`/pods/s64r${r}/${name(i)}`, pod('ns', name(i), i))),
    );
    const [rawGet, storeGet] = await measurePair(
      N,
      async () => {
        for (let i = 0; i < N; i++) JSON.parse(select.get(`/registry/pods/r${round}/${name(i)}`).toString('utf8'));
      },
      async () => {
        for (let i = 0; i < N; i++) await store.get(`/pods/s1r${round}/${name(i)}`);
      },
    );

    // History independence: the same 10k keys, once with 1 revision each, once with 100.
    const flat = await open('flat.db');
    const deep = await open('deep.db');
    const value = Buffer.from(JSON.stringify(pod('ns', 'x', 0)));
    await inFlight(64, LIST_KEYS, (i) => flat.backend.optimisticPut(`/registry/pods/list/${name(i)}`, value, 0));
    const revs = new Array(LIST_KEYS).fill(0);
    for (let v = 0; v < LIST_REVISIONS; v++) {
      await inFlight(64, LIST_KEYS, async (i) => {
        const res = await deep.backend.optimisticPut(`/registry/pods/list/${name(i)}`, value, revs[i]);
        revs[i] = res.revision;
      });
    }
    const [flatList, deepList] = await measurePair(
      LIST_KEYS,
      async () => {
        const res = await flat.store.getList('/pods/list/', { recursive: true });
        if (res.items.length !== LIST_KEYS) throw new Error('flat list');
      },
      async () => {
        const res = await deep.store.getList('/pods/list/', { recursive: true });
        if (res.items.length !== LIST_KEYS) throw new Error('deep list');
      },
      { rounds: 5, warmup: 1 },
    );

    log('SQLite Store vs raw better-sqlite3 (same run, WAL, synchronous=NORMAL, temp dir on the same disk):');
    log(ratioLine('create, one at a time', storeCreate1, rawCreate1, 0.4));
    log(ratioLine('create, 64 in flight (group commit)', storeCreate64, rawCreate64, 1.0));
    log(ratioLine('get', storeGet, rawGet, 0.5));
    const slowdown = flatList.opsPerSec / deepList.opsPerSec;
    log(
      `list at latest, ${LIST_KEYS} keys × ${LIST_REVISIONS} revisions vs × 1: ` +
        `${slowdown.toFixed(2)}× the time${slowdown <= 2 ? '  ✓ target ≤ 2×' : '  ✗ target ≤ 2×'}`,
    );
  } finally {
    raw.close();
    for (const backend of opened) await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
