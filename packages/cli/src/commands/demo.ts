import type { Command } from 'commander';
import { runDemo } from '../demo.js';

interface DemoOptions {
  readonly type: string;
  readonly server?: string;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run the main job (create, update, page, watch) on a backend, printing each step')
    .option('--type <type>', 'memory, sqlite or etcd3', 'memory')
    .option('--server <server>', 'store name, SQLite file or etcd URL')
    .action(async (opts: DemoOptions) => {
      const type = opts.type;
      const server = opts.server ?? (type === 'memory' ? 'demo' : type === 'sqlite' ? ':memory:' : 'http://127.0.0.1:2379');
      await runDemo({ type, server, log: (line) => console.log(line) });
    });
}
