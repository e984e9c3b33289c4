#!/usr/bin/env node
import { CommanderError } from 'commander';
import { debugDetail, errorMessage, exitCodeOf } from './error-output.js';
import { buildProgram } from './program.js';
import { state } from './run-state.js';
import { ReportedFailure } from './usage-error.js';

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  // Libraries' deprecation notices (e.g. grpc-js on TLS to an IP address) are for developers, not in a user's output.
  if (!debug) process.noDeprecation = true;
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    // The reader went away (`storagectl list | head`): not a failure of ours.
    if ((err as { code?: string })?.code === 'EPIPE') return 0;
    // Commander already printed its own message (unknown flag, missing argument, --help).
    if (!(err instanceof CommanderError) && !(err instanceof ReportedFailure)) {
      process.stderr.write(`${errorMessage(err, state.address)}\n`);
    }
    if (debug && !(err instanceof CommanderError)) process.stderr.write(`${debugDetail(err)}\n`);
    return exitCodeOf(err);
  } finally {
    await state.session?.close().catch(() => undefined);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
