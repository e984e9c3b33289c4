import { createProber } from '@storagebackend/core';
import type { Command } from 'commander';
import { errorMessage } from '../error-output.js';
import { toJson, toYaml } from '../output.js';
import { globalsOf, out } from '../run-state.js';
import { cliConfig, describeBackend } from '../session.js';
import { ReportedFailure } from '../usage-error.js';
import { outputOption, type OutputOptions } from './options.js';

export function registerHealth(program: Command): void {
  program
    .command('health')
    .description('Check that the backend answers (a read within healthcheckTimeoutMs, as the apiserver /healthz check)')
    .addOption(outputOption())
    .addHelpText('after', '\nExamples:\n  storagectl health\n  storagectl health --backend etcd3://127.0.0.1:2379 -o json')
    .action(async (opts: OutputOptions, cmd: Command) => {
      const config = await cliConfig(globalsOf(cmd));
      const endpoint = describeBackend(config);
      const started = performance.now();
      let error: string | undefined;
      try {
        const prober = await createProber(config);
        try {
          await prober.probe(AbortSignal.timeout(config.healthcheckTimeoutMs));
        } finally {
          await prober.close();
        }
      } catch (e) {
        error = errorMessage(e).replace(/^error: /, '');
      }
      const took = `${(performance.now() - started).toFixed(1)}ms`;
      if (opts.output === 'json' || opts.output === 'yaml') {
        const doc = { endpoint, health: error === undefined, took, ...(error === undefined ? {} : { error }) };
        await out(opts.output === 'json' ? toJson([doc]) : toYaml([doc]));
      } else {
        await out(error === undefined ? `${endpoint} is healthy: took = ${took}` : `${endpoint} is unhealthy: ${error}`);
      }
      if (error !== undefined) throw new ReportedFailure('unhealthy');
    });
}
