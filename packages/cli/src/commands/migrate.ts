import { defaultRegistry, loadConfig, forResource, type Backend, type Config } from '@storagebackend/core';
import type { Command } from 'commander';
import { copySnapshot } from '../migrate/copy.js';
import { followChanges } from '../migrate/follow.js';
import { progressReporter } from '../migrate/progress.js';
import { readCheckpoint, removeCheckpoint, writeCheckpoint } from '../migrate/checkpoint.js';
import { compareDigests, currentRevision, digests, type Verification } from '../migrate/snapshot.js';
import { toJson } from '../output.js';
import { err, globalsOf, out } from '../run-state.js';
import { describeBackend, prefixPath } from '../session.js';
import { CommandError, UsageError } from '../usage-error.js';

interface MigrateOptions {
  readonly from: string;
  readonly to: string;
  readonly force?: boolean;
  readonly dropLeases?: boolean;
  readonly verifyOnly?: boolean;
  readonly follow?: boolean;
  readonly resume?: boolean;
  readonly checkpoint: string;
  readonly output?: 'text' | 'json';
}

const open = (config: Config, root: string): Promise<Backend> =>
  defaultRegistry.createBackend(forResource({ ...config, prefix: '/' }, { group: '', resource: 'storagectl' }, root));

function describeVerification(v: Verification): string {
  if (v.ok) return `verified ${v.sourceCount} keys: count and SHA-256 of every value match`;
  const sample = (keys: readonly string[]) => keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', …' : '');
  return [
    `verification FAILED: source ${v.sourceCount} keys, target ${v.targetCount}`,
    ...(v.missing.length ? [`  missing on the target (${v.missing.length}): ${sample(v.missing)}`] : []),
    ...(v.different.length ? [`  different values (${v.different.length}): ${sample(v.different)}`] : []),
    ...(v.extra.length ? [`  only on the target (${v.extra.length}): ${sample(v.extra)}`] : []),
  ].join('\n');
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Copy every key under the prefix from one backend to another at one snapshot revision, then verify')
    .requiredOption('--from <url>', 'source backend URL (only read)')
    .requiredOption('--to <url>', 'target backend URL')
    .option('--force', 'overwrite a non-empty target (keys the source lacks are deleted)')
    .option('--drop-leases', 'copy keys that have a TTL without one (their remaining time cannot be carried yet)')
    .option('--verify-only', 'only compare count and SHA-256 of every value')
    .option('--resume', 'continue an interrupted copy from its checkpoint')
    .option('--checkpoint <file>', 'where an interrupted copy records how far it got', './storagectl-migrate.json')
    .option('--follow', "after the copy, keep applying the source's changes until interrupted (Ctrl-C), then verify")
    .option('-o, --output <format>', 'text or json summary', 'text')
    .addHelpText(
      'after',
      `
Examples:
  storagectl migrate --from sqlite:./storagectl.db --to etcd3://127.0.0.1:2379
  storagectl migrate --from etcd3://10.0.0.5:2379 --to sqlite:./copy.db --prefix /registry
  storagectl migrate --from sqlite:./a.db --to sqlite:./b.db --verify-only

Keys and value bytes stay identical (values encrypted with the key as authenticated data still decrypt). The target's
revision is first raised to the source's, so every copied key gets a higher resource version than any the source
handed out, and the target is compacted at the end: a client holding an old resourceVersion gets 410 Expired and
relists. That holds for etcd targets too (the bump is ordinary writes of one scratch key outside the prefix).
With --follow it then applies the source's changes in revision order until interrupted (live migration: stop the
writers, wait for the lag line to reach the source's revision, press Ctrl-C, switch over), and verifies at the
last revision it applied. An interrupted copy (Ctrl-C, a crash) leaves a checkpoint; --resume continues it at the same
source revision. Not in this version: TTLs carried with their remaining time.`,
    )
    .action(async (opts: MigrateOptions, cmd: Command) => {
      if (opts.follow && opts.verifyOnly) throw new UsageError('--follow and --verify-only exclude each other');
      if (opts.output !== 'text' && opts.output !== 'json') throw new UsageError(`invalid -o ${JSON.stringify(opts.output)}: text or json`);
      const prefix = globalsOf(cmd).prefix;
      const overrides = { compactionIntervalMs: 0, ...(prefix === undefined ? {} : { prefix }) };
      // Both sides only from their flags: an environment backend must never become a migration's source or target.
      const from = await loadConfig({ url: opts.from, urlField: '--from', env: {}, overrides });
      const to = await loadConfig({ url: opts.to, urlField: '--to', env: {}, overrides });
      const root = prefixPath(from.prefix);
      if (describeBackend(from) === describeBackend(to) && describeBackend(from) !== 'memory: (private)') {
        throw new UsageError('--from and --to name the same backend');
      }
      const source = await open(from, root);
      let target: Backend | undefined;
      try {
        target = await open(to, root);
        let summary: Record<string, unknown> = { from: describeBackend(from), to: describeBackend(to), prefix: root };
        if (!opts.verifyOnly) {
          const found = await readCheckpoint(opts.checkpoint);
          const same = found !== undefined && found.from === summary.from && found.to === summary.to && found.prefix === root;
          if (opts.resume && !same) {
            throw new CommandError(found ? `the checkpoint ${opts.checkpoint} is for another migration` : `no checkpoint at ${opts.checkpoint} to resume from`);
          }
          if (same && !opts.resume && !opts.force) {
            throw new CommandError(`an interrupted migration left ${opts.checkpoint}; pass --resume to continue it, or --force to start over`);
          }
          err(opts.resume ? `resuming the copy of ${root} after ${found!.copied} keys` : `copying ${root} from ${summary.from} to ${summary.to}`);
          const stop = new AbortController();
          const onSignal = () => stop.abort();
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          let report;
          try {
            report = await copySnapshot(source, target, root, {
              force: opts.force === true,
              dropLeases: opts.dropLeases === true,
              resumeFrom: opts.resume ? found : undefined,
              checkpoint: (cp) => writeCheckpoint(opts.checkpoint, cp),
              signal: stop.signal,
              from: String(summary.from),
              to: String(summary.to),
              progress: progressReporter(opts.resume ? found!.copied : 0),
            });
          } finally {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          }
          await removeCheckpoint(opts.checkpoint);
          summary = { ...summary, ...report, compactRevision: report.targetRevision };
        }
        let revision = typeof summary.sourceRevision === 'number' ? summary.sourceRevision : await currentRevision(source, root);
        if (opts.follow) {
          const stop = new AbortController();
          const onSignal = () => stop.abort();
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          err(`following changes after source revision ${revision}; Ctrl-C to stop and verify`);
          let lastLine = 0;
          try {
            revision = await followChanges(source, target, root, revision, {
              dropLeases: opts.dropLeases === true,
              signal: stop.signal,
              progress: (applied, at) => {
                if (Date.now() - lastLine < 1000) return;
                lastLine = Date.now();
                err(`applied ${applied} changes, source revision ${at}`);
              },
            });
          } finally {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          }
          summary = { ...summary, followedTo: revision };
          err(`stopped following at source revision ${revision}`);
        }
        const verification = compareDigests(await digests(source, root, revision), await digests(target, root, 0));
        summary = { ...summary, verification: { ok: verification.ok, sourceCount: verification.sourceCount, targetCount: verification.targetCount } };
        if (opts.output === 'json') await out(toJson(summary));
        else {
          if (!opts.verifyOnly) {
            await out(
              `copied ${String(summary.copied)} keys at source revision ${String(summary.sourceRevision)}; ` +
                `target at revision ${String(summary.targetRevision)}, compacted there`,
            );
          }
          await out(describeVerification(verification));
        }
        if (!verification.ok) throw new CommandError(opts.output === 'json' ? describeVerification(verification) : 'verification failed');
      } finally {
        await target?.close();
        await source.close();
      }
    });
}
