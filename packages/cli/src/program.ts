import { Command } from 'commander';
import { registerCompact } from './commands/compact.js';
import { registerCreate } from './commands/create.js';
import { registerDelete } from './commands/delete.js';
import { registerDemo } from './commands/demo.js';
import { registerGet } from './commands/get.js';
import { registerHealth } from './commands/health.js';
import { registerList } from './commands/list.js';
import { registerMigrate } from './commands/migrate.js';
import { registerPatch } from './commands/patch.js';
import { registerReplace } from './commands/replace.js';
import { registerStatus } from './commands/status.js';
import { registerWatch } from './commands/watch.js';
import { DEFAULT_BACKEND } from './session.js';

/** The storagectl command tree; errors are thrown (never `process.exit`) so `main` decides the exit code. */
export function buildProgram(): Command {
  const program = new Command('storagectl')
    .description('Read, write and watch Kubernetes-style objects in any storagebackend backend')
    .option('--backend <url>', `backend URL (env STORAGECTL_BACKEND; default ${DEFAULT_BACKEND})`)
    .option('--config <file>', 'YAML/JSON config file (env STORAGECTL_CONFIG)')
    .option('--prefix <prefix>', 'key prefix (env STORAGECTL_PREFIX; default /registry)')
    .option('--request-timeout <duration>', 'give up on a request after this long; 0 waits forever', '10s')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) })
    .addHelpText(
      'after',
      `
Backend: --backend URL, else STORAGECTL_BACKEND, else the file of --config or STORAGECTL_CONFIG, else ${DEFAULT_BACKEND}
  memory:[NAME]  sqlite:./file.db  sqlite::memory:  etcd3://h1:2379,h2:2379  https://h:2379  redis://[user:pass@]h:6379[/db]
Exit codes: 0 ok, 1 the operation failed, 2 usage error (flags, arguments, URL, config).`,
    );
  for (const register of [
    registerGet,
    registerList,
    registerCreate,
    registerReplace,
    registerPatch,
    registerDelete,
    registerWatch,
    registerCompact,
    registerHealth,
    registerStatus,
    registerMigrate,
    registerDemo,
  ]) {
    register(program);
  }
  // Subcommands inherit the error handling, so a bad flag anywhere is a usage error (exit 2), not process.exit.
  for (const sub of program.commands) sub.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}
