import type { StorageObject } from '@storagebackend/core';
import type { Command } from 'commander';
import { readManifests } from '../manifest.js';
import { formatObject, nameOf } from '../output.js';
import { openSession, out, state } from '../run-state.js';
import { targetsOf } from './manifest-target.js';
import { collect, outputOption, type OutputOptions } from './options.js';

interface ReplaceOptions extends OutputOptions {
  readonly filename: string[];
  readonly namespace?: string;
}

/** The new object keeps the stored uid and creation time unless it sets its own. */
function replacement(next: StorageObject, current: StorageObject): StorageObject {
  const { resourceVersion: _rv, ...meta } = next.metadata;
  return {
    ...next,
    metadata: {
      ...meta,
      uid: meta.uid ?? current.metadata.uid,
      creationTimestamp: meta.creationTimestamp ?? current.metadata.creationTimestamp,
    },
  };
}

export function registerReplace(program: Command): void {
  program
    .command('replace')
    .description('Replace existing objects with the ones in files; a metadata.resourceVersion in the file must match')
    .requiredOption('-f, --filename <file>', 'file to read, - for stdin (repeatable)', collect)
    .option('-n, --namespace <namespace>', 'namespace for objects that name none (default "default")')
    .addOption(outputOption().default('name'))
    .addHelpText(
      'after',
      `
Examples:
  storagectl get pods web-0 -o yaml > web-0.yaml   # edit it, then:
  storagectl replace -f web-0.yaml                 # Conflict if web-0 changed since it was read`,
    )
    .action(async (opts: ReplaceOptions, cmd: Command) => {
      const targets = targetsOf(await readManifests(opts.filename), opts.namespace);
      state.address = targets[0]?.address;
      const session = await openSession(cmd);
      for (const { address, object } of targets) {
        state.address = address;
        const expected = object.metadata.resourceVersion;
        const signal = session.signal();
        const updated = await session.store.guaranteedUpdate(session.key(address.key), {
          tryUpdate: (current) => replacement(object, current),
          ...(typeof expected === 'string' && expected !== '' ? { preconditions: { resourceVersion: expected } } : {}),
          ...(signal ? { signal } : {}),
        });
        await out(opts.output === 'name' ? `${nameOf(updated, address.resource)} replaced` : formatObject(updated, opts.output, address.resource));
      }
    });
}
