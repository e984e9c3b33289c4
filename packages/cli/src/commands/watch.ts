import { StatusError, type StorageObject, type WatchEvent } from '@storagebackend/core';
import type { Command } from 'commander';
import { listAddress, objectAddress, rawAddress, type Address } from '../address.js';
import { nameOf, toYaml, type OutputFormat } from '../output.js';
import { openSession, out, state } from '../run-state.js';
import { CommandError, UsageError } from '../usage-error.js';
import {
  addScope,
  addSelectors,
  checkResourceVersion,
  checkSelectors,
  outputOption,
  type OutputOptions,
  type ScopeOptions,
  type SelectorOptions,
} from './options.js';

interface WatchCommandOptions extends OutputOptions, ScopeOptions, SelectorOptions {
  readonly key?: string;
  readonly resourceVersion?: string;
}

const COLUMNS = [10, 16, 32];

function formatEvent(event: WatchEvent<StorageObject>, format: OutputFormat, address: Address, mixed: boolean): string {
  if (format === 'json') return JSON.stringify({ type: event.type, object: event.object });
  if (format === 'yaml') return `---\n${toYaml({ type: event.type, object: event.object })}`;
  const obj = event.object as StorageObject;
  if (format === 'name') return `${event.type} ${nameOf(obj, mixed ? undefined : address.resource)}`;
  const cells = [event.type, obj.metadata?.namespace ?? '', mixed ? nameOf(obj) : (obj.metadata?.name ?? ''), obj.metadata?.resourceVersion ?? ''];
  return cells.map((c, i) => (i < COLUMNS.length ? c.padEnd(COLUMNS[i]!) : c)).join('   ').trimEnd();
}

function addressOf(resource: string | undefined, name: string | undefined, opts: WatchCommandOptions): { address: Address; recursive: boolean } {
  if (opts.key !== undefined) {
    if (resource !== undefined) throw new UsageError('give either RESOURCE [NAME] or --key for watch, not both');
    const address = rawAddress(opts.key);
    return { address, recursive: opts.key.endsWith('/') };
  }
  if (resource === undefined) return { address: { key: '/' }, recursive: true };
  if (name !== undefined) {
    if (opts.allNamespaces) throw new UsageError('-A/--all-namespaces cannot be used with an object name');
    return { address: objectAddress(resource, name, opts), recursive: false };
  }
  return { address: listAddress(resource, opts), recursive: true };
}

export function registerWatch(program: Command): void {
  const command = program
    .command('watch')
    .argument('[resource]', 'resource type; none watches everything under the prefix')
    .argument('[name]', 'one object')
    .description('Print changes as they happen, until interrupted (Ctrl-C)')
    .addOption(outputOption())
    .option('--resource-version <rv>', 'start after this resource version (default: current objects as ADDED, then changes)')
    .addHelpText(
      'after',
      `
Examples:
  storagectl watch pods -n default
  storagectl watch pods -A --resource-version 42 -o json    # one JSON event a line
  storagectl watch                                          # everything under the prefix

A start revision that was compacted away ends the watch with Error from server (Expired) and exit code 1.`,
    );
  addScope(command);
  addSelectors(command);
  command.action(async (resource: string | undefined, name: string | undefined, opts: WatchCommandOptions, cmd: Command) => {
    const resourceVersion = checkResourceVersion(opts.resourceVersion);
    const selectors = checkSelectors(opts);
    const { address, recursive } = addressOf(resource, name, opts);
    const mixed = resource === undefined && opts.key === undefined;
    state.address = address;
    const session = await openSession(cmd);
    // One read first: an unreachable server is then reported as such, not as a watch's internal error event.
    const signal = session.signal();
    await session.store.getCurrentResourceVersion(signal ? { signal } : {});
    const watch = await session.store.watch(session.key(address.key), {
      recursive,
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
      ...(Object.keys(selectors).length === 0 ? {} : { predicate: selectors }),
    });
    let interrupted = false;
    const stop = () => {
      interrupted = true;
      watch.stop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      if (opts.output === 'table') await out(['EVENT', 'NAMESPACE', 'NAME', 'RESOURCE VERSION'].map((c, i) => (i < COLUMNS.length ? c.padEnd(COLUMNS[i]!) : c)).join('   '));
      for await (const event of watch) {
        if (event.type === 'ERROR') {
          throw new StatusError(event.object);
        }
        if (event.type === 'BOOKMARK') continue;
        await out(formatEvent(event, opts.output, address, mixed));
      }
      if (!interrupted) throw new CommandError('the watch ended: the server closed it');
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      watch.stop();
    }
  });
}
