import type { StorageObject } from '@storagebackend/core';
import type { Command } from 'commander';
import { listAddress } from '../address.js';
import { namedObjects } from './object-target.js';
import { errorMessage } from '../error-output.js';
import { formatList, formatObject } from '../output.js';
import { err, openSession, out, state } from '../run-state.js';
import { ReportedFailure, UsageError } from '../usage-error.js';
import { listObjects } from './list-objects.js';
import {
  addScope,
  addSelectors,
  checkKeyOrResource,
  checkResourceVersion,
  checkSelectors,
  outputOption,
  type OutputOptions,
  type ScopeOptions,
  type SelectorOptions,
} from './options.js';

interface GetOptions extends OutputOptions, ScopeOptions, SelectorOptions {
  readonly key?: string;
  readonly resourceVersion?: string;
  readonly ignoreNotFound?: boolean;
}

export function registerGet(program: Command): void {
  const command = program
    .command('get')
    .argument('[resource]', 'resource type, e.g. pods')
    .argument('[names...]', 'object names; none lists the resource')
    .description('Show objects by name (kubectl-style), or list a resource')
    .addOption(outputOption())
    .option('--resource-version <rv>', 'read at a resource version not older than this')
    .option('--ignore-not-found', 'no error when a named object does not exist')
    .addHelpText(
      'after',
      `
Examples:
  storagectl get pods -n default web-0
  storagectl get pods web-0 web-1 -o yaml
  storagectl get nodes node-a -o json      # cluster-scoped: no namespace
  storagectl get --key /pods/default/web-0`,
    );
  addScope(command);
  addSelectors(command);
  command.action(async (resource: string | undefined, names: string[], opts: GetOptions, cmd: Command) => {
    checkKeyOrResource(opts.key, resource, 'get');
    const resourceVersion = checkResourceVersion(opts.resourceVersion);
    if (opts.key === undefined && resource === undefined) throw new UsageError('get needs a RESOURCE (e.g. pods) or --key');
    if (opts.key === undefined && names.length === 0) {
      const selectors = checkSelectors(opts);
      await listObjects(cmd, {
        address: listAddress(resource!, opts),
        ...selectors,
        resourceVersion,
        output: opts.output,
        showNamespace: opts.allNamespaces === true,
        mixed: false,
      });
      return;
    }
    if (opts.allNamespaces) throw new UsageError('-A/--all-namespaces cannot be used with object names');
    if (opts.selector !== undefined || opts.fieldSelector !== undefined) throw new UsageError('selectors cannot be used with object names');
    const addresses = namedObjects(resource, names, opts, 'get');
    state.address = addresses[0];
    const session = await openSession(cmd);
    const found: StorageObject[] = [];
    let failed = false;
    for (const address of addresses) {
      state.address = address;
      try {
        const signal = session.signal();
        found.push(
          await session.store.get(session.key(address.key), {
            ...(resourceVersion === undefined ? {} : { resourceVersion }),
            ...(signal ? { signal } : {}),
          }),
        );
      } catch (e) {
        if ((e as { code?: string }).code === 'KeyNotFound' && opts.ignoreNotFound) continue;
        if ((e as { code?: string }).code !== 'KeyNotFound') throw e;
        err(errorMessage(e, address));
        failed = true;
      }
    }
    const resourceName = addresses[0]?.resource;
    if (found.length === 1 && addresses.length === 1) await out(formatObject(found[0]!, opts.output, resourceName));
    else if (found.length > 0) {
      const text = formatList(found, { resourceVersion: '' }, opts.output, { resource: resourceName, showNamespace: false, showKind: false });
      if (text !== undefined) await out(text);
    }
    if (failed) throw new ReportedFailure('some objects were not found');
  });
}
