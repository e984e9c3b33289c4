import type { StorageObject } from '@storagebackend/core';
import { Option, type Command } from 'commander';
import { parse } from 'yaml';
import { applyMergePatch } from '../merge-patch.js';
import { formatObject, nameOf } from '../output.js';
import { openSession, out, state } from '../run-state.js';
import { CommandError, UsageError } from '../usage-error.js';
import { oneObject } from './object-target.js';
import { outputOption, type OutputOptions } from './options.js';

interface PatchOptions extends OutputOptions {
  readonly patch: string;
  readonly type: 'merge';
  readonly namespace?: string;
  readonly key?: string;
}

function parsePatch(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    throw new UsageError(`unable to parse the patch: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('a merge patch must be a JSON object');
  return value as Record<string, unknown>;
}

export function registerPatch(program: Command): void {
  program
    .command('patch')
    .argument('[resource]', 'resource type, e.g. pods')
    .argument('[name]', 'object name')
    .description('Update an object with a JSON merge patch (RFC 7386), retried on conflicts like any guaranteed update')
    .requiredOption('-p, --patch <patch>', 'the patch, JSON (or YAML)')
    .addOption(new Option('--type <type>', 'patch type').choices(['merge']).default('merge'))
    .option('-n, --namespace <namespace>', 'namespace (default "default")')
    .option('--key <key>', 'a raw key under the prefix instead of RESOURCE NAME')
    .addOption(outputOption().default('name'))
    .addHelpText(
      'after',
      `
Examples:
  storagectl patch pods web-0 -p '{"spec":{"nodeName":"node-b"}}'
  storagectl patch pods web-0 -n default -p '{"metadata":{"labels":{"canary":null}}}'   # null removes a field`,
    )
    .action(async (resource: string | undefined, name: string | undefined, opts: PatchOptions, cmd: Command) => {
      const address = oneObject(resource, name, opts, 'patch');
      const patch = parsePatch(opts.patch);
      state.address = address;
      const session = await openSession(cmd);
      let changed = true;
      const signal = session.signal();
      const updated = await session.store.guaranteedUpdate(session.key(address.key), {
        tryUpdate: (current) => {
          const next = applyMergePatch(current, patch) as StorageObject;
          if (typeof next.metadata !== 'object' || next.metadata === null) throw new CommandError('the patch must keep metadata an object');
          if (next.metadata.name !== current.metadata.name || next.metadata.namespace !== current.metadata.namespace) {
            throw new CommandError('the patch may not change metadata.name or metadata.namespace');
          }
          const { resourceVersion: _a, ...a } = current.metadata;
          const { resourceVersion: _b, ...b } = next.metadata;
          changed = JSON.stringify({ ...current, metadata: a }) !== JSON.stringify({ ...next, metadata: b });
          return next;
        },
        ...(signal ? { signal } : {}),
      });
      if (opts.output !== 'name') await out(formatObject(updated, opts.output, address.resource));
      else await out(`${nameOf(updated, address.resource)} patched${changed ? '' : ' (no change)'}`);
    });
}
