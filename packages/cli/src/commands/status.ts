import type { Backend } from '@storagebackend/core';
import type { Command } from 'commander';
import { toJson, toYaml } from '../output.js';
import { openSession, out } from '../run-state.js';
import { describeBackend, type Session } from '../session.js';
import { humanBytes, renderTable } from '../table.js';
import { outputOption, type OutputOptions } from './options.js';

const PAGE = 1000;

/** Objects per resource (the first key segment under the prefix), counted at one revision page by page. */
async function objectCounts(backend: Backend, session: Session, revision: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let continueKey: string | undefined;
  for (;;) {
    const signal = session.signal();
    const page = await backend.list(session.root, {
      revision,
      limit: PAGE,
      ...(continueKey === undefined ? {} : { continueKey }),
      ...(signal ? { signal } : {}),
    });
    for (const kv of page.kvs) {
      const resource = kv.key.slice(session.root.length).split('/')[0] ?? '';
      counts[resource] = (counts[resource] ?? 0) + 1;
    }
    const last = page.kvs.at(-1);
    if (page.kvs.length < PAGE || last === undefined) break;
    continueKey = `${last.key}\u0000`;
  }
  return counts;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('Show the revision, compact revision, database size and object counts per resource')
    .addOption(outputOption())
    .addHelpText('after', '\nExamples:\n  storagectl status\n  storagectl status -o json')
    .action(async (opts: OutputOptions, cmd: Command) => {
      const session = await openSession(cmd);
      const backend = await session.backend();
      const signal = session.signal();
      const status = await backend.status(signal ? { signal } : {});
      const counts = await objectCounts(backend, session, status.revision);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const doc = {
        backend: describeBackend(session.config),
        type: session.config.type,
        prefix: session.config.prefix,
        revision: status.revision,
        compactRevision: status.compactRevision,
        dbSizeBytes: status.dbSizeBytes,
        objectCount: total,
        objectCounts: counts,
      };
      if (opts.output === 'json') return out(toJson(doc));
      if (opts.output === 'yaml') return out(toYaml(doc));
      if (opts.output === 'name') return out(doc.backend);
      const head = renderTable(
        ['BACKEND', 'PREFIX', 'REVISION', 'COMPACT REVISION', 'DB SIZE', 'OBJECTS'],
        [[doc.backend, doc.prefix, String(doc.revision), String(doc.compactRevision), humanBytes(doc.dbSizeBytes), String(total)]],
      );
      const rows = Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)).map(([r, n]) => [r, String(n)]);
      await out(rows.length === 0 ? head : `${head}\n\n${renderTable(['RESOURCE', 'OBJECTS'], rows)}`);
    });
}
