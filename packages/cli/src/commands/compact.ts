import type { Command } from 'commander';
import { openSession, out } from '../run-state.js';
import { UsageError } from '../usage-error.js';

export function registerCompact(program: Command): void {
  program
    .command('compact')
    .argument('<revision>', 'drop the history before this revision')
    .description('Compact the backend: reads and watches below the revision fail with Expired (410) afterwards')
    .addHelpText(
      'after',
      `
Examples:
  storagectl status            # shows the current REVISION
  storagectl compact 1200`,
    )
    .action(async (revision: string, _opts: unknown, cmd: Command) => {
      if (!/^\d+$/.test(revision) || Number(revision) < 1 || !Number.isSafeInteger(Number(revision))) {
        throw new UsageError(`invalid revision ${JSON.stringify(revision)}: expected a positive integer`);
      }
      const session = await openSession(cmd);
      const backend = await session.backend();
      await backend.compact(Number(revision));
      await out(`compacted revision ${revision}`);
    });
}
