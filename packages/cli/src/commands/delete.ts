import type { Command } from 'commander';
import { errorMessage } from '../error-output.js';
import { err, openSession, out, state } from '../run-state.js';
import { ReportedFailure } from '../usage-error.js';
import { namedObjects } from './object-target.js';
import { checkResourceVersion } from './options.js';

interface DeleteOptions {
  readonly namespace?: string;
  readonly key?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly ignoreNotFound?: boolean;
}

export function registerDelete(program: Command): void {
  program
    .command('delete')
    .argument('[resource]', 'resource type, e.g. pods')
    .argument('[names...]', 'object names')
    .description('Delete objects, optionally only if their uid or resourceVersion still match')
    .option('-n, --namespace <namespace>', 'namespace (default "default")')
    .option('--key <key>', 'a raw key under the prefix instead of RESOURCE NAME')
    .option('--uid <uid>', 'precondition: delete only if metadata.uid is this')
    .option('--resource-version <rv>', 'precondition: delete only if metadata.resourceVersion is this')
    .option('--ignore-not-found', 'no error when an object does not exist')
    .addHelpText(
      'after',
      `
Examples:
  storagectl delete pods web-0 web-1 -n default
  storagectl delete pods web-0 --resource-version 42      # Conflict if it changed since revision 42
  storagectl delete --key /pods/default/web-0 --uid 3f6c…`,
    )
    .action(async (resource: string | undefined, names: string[], opts: DeleteOptions, cmd: Command) => {
      const resourceVersion = checkResourceVersion(opts.resourceVersion);
      const addresses = namedObjects(resource, names, opts, 'delete');
      const preconditions = {
        ...(opts.uid === undefined ? {} : { uid: opts.uid }),
        ...(resourceVersion === undefined ? {} : { resourceVersion }),
      };
      state.address = addresses[0];
      const session = await openSession(cmd);
      let failed = false;
      for (const address of addresses) {
        state.address = address;
        try {
          const signal = session.signal();
          await session.store.delete(session.key(address.key), { preconditions, ...(signal ? { signal } : {}) });
          await out(`${address.resource} "${address.name}" deleted`);
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (code === 'KeyNotFound' && opts.ignoreNotFound) continue;
          if (code !== 'KeyNotFound' && code !== 'InvalidObj' && code !== 'ResourceVersionConflicts') throw e;
          err(errorMessage(e, address));
          failed = true;
        }
      }
      if (failed) throw new ReportedFailure('some objects were not deleted');
    });
}
