import { Option, type Command } from 'commander';
import { listAddress, rawAddress, type Address } from '../address.js';
import { UsageError } from '../usage-error.js';
import { listObjects } from './list-objects.js';
import {
  addScope,
  addSelectors,
  checkCount,
  checkKeyOrResource,
  checkResourceVersion,
  checkSelectors,
  outputOption,
  type OutputOptions,
  type ScopeOptions,
  type SelectorOptions,
} from './options.js';

interface ListOptions extends OutputOptions, ScopeOptions, SelectorOptions {
  readonly key?: string;
  readonly limit?: string;
  readonly continue?: string;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export function registerList(program: Command): void {
  const command = program
    .command('list')
    .argument('[resource]', 'resource type, e.g. pods; none lists every object under the prefix')
    .description('List objects of a resource, or every object under the prefix')
    .addOption(outputOption())
    .option('--limit <n>', 'at most this many objects (one page); the continue token is printed')
    .option('--continue <token>', 'the next page of an earlier --limit list')
    .option('--resource-version <rv>', 'list at (or not older than) this resource version')
    .addOption(new Option('--resource-version-match <match>', 'how --resource-version applies').choices(['NotOlderThan', 'Exact']))
    .addHelpText(
      'after',
      `
Examples:
  storagectl list                          # every object under the prefix
  storagectl list pods -n default -l app=web
  storagectl list pods -A --field-selector spec.nodeName=node-a -o yaml
  storagectl list pods --limit 100         # then: --continue <token>
  storagectl list --key /pods/kube-system/`,
    );
  addScope(command);
  addSelectors(command);
  command.action(async (resource: string | undefined, opts: ListOptions, cmd: Command) => {
    checkKeyOrResource(opts.key, resource, 'list');
    const selectors = checkSelectors(opts);
    let address: Address;
    let field = selectors.field;
    const mixed = resource === undefined && opts.key === undefined;
    if (opts.key !== undefined) address = rawAddress(opts.key.endsWith('/') ? opts.key : `${opts.key}/`);
    else if (resource !== undefined) address = listAddress(resource, opts);
    else {
      address = { key: '/' };
      // Everything under the prefix: -n narrows by the objects' namespace field.
      if (opts.namespace !== undefined && !opts.allNamespaces) {
        field = [field, `metadata.namespace=${opts.namespace}`].filter((f) => f !== undefined).join(',');
      }
    }
    if (opts.resourceVersionMatch !== undefined && opts.resourceVersion === undefined) {
      throw new UsageError('--resource-version-match needs --resource-version');
    }
    await listObjects(cmd, {
      address,
      label: selectors.label,
      field,
      limit: checkCount(opts.limit, '--limit'),
      continueToken: opts.continue,
      resourceVersion: checkResourceVersion(opts.resourceVersion),
      resourceVersionMatch: opts.resourceVersionMatch,
      output: opts.output,
      showNamespace: mixed || opts.allNamespaces === true || opts.key !== undefined,
      mixed,
    });
  });
}
