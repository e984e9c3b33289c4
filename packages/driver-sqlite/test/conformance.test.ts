import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runConformance } from '@storagebackend/conformance';
import { createSqliteDriver } from '../src/index.js';
import { sqliteConfig, tempDir } from './helpers.js';

const { dir, cleanup } = tempDir();
let n = 0;
afterAll(() => cleanup());

runConformance({
  name: 'sqlite',
  // A fresh file per backend; a driver per backend keeps each file's connection to itself.
  createBackend: () =>
    createSqliteDriver({ progressNotifyIntervalMs: 200, pollIntervalMs: 20 }).createBackend(sqliteConfig(join(dir, `c${n++}.db`))),
  progressNotifyWithinMs: 1000,
  leaseExpirySlackSeconds: 2,
});
