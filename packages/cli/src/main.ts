#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { runDemo } from './demo.js';

const USAGE = `usage: storagectl demo [--type memory|sqlite|etcd3] [--server NAME|PATH|URL]

  Runs the main job on the chosen backend (default: the embedded in-memory backend).`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { type: { type: 'string', default: 'memory' }, server: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || positionals[0] !== 'demo') {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const type = values.type ?? 'memory';
  const server = values.server ?? (type === 'memory' ? 'demo' : type === 'sqlite' ? ':memory:' : 'http://127.0.0.1:2379');
  await runDemo({ type, server, log: (line) => console.log(line) });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`storagectl: ${(err as Error)?.message ?? String(err)}`);
    process.exit(1);
  },
);
