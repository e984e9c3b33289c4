import { randomUUID } from 'node:crypto';
import type { StorageObject } from '@storagebackend/core';
import type { Command } from 'commander';
import { errorMessage } from '../error-output.js';
import { readManifests } from '../manifest.js';
import { formatObject, nameOf } from '../output.js';
import { err, openSession, out, state } from '../run-state.js';
import { ReportedFailure, UsageError } from '../usage-error.js';
import { targetsOf } from './manifest-target.js';
import { checkCount, collect, outputOption, type OutputOptions } from './options.js';

interface CreateOptions extends OutputOptions {
  readonly filename: string[];
  readonly namespace?: string;
  readonly ttl?: string;
}

/** What the apiserver fills on create and the storage layer does not: a uid and a creation time. */
function withServerFields(obj: StorageObject): StorageObject {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      uid: obj.metadata.uid ?? randomUUID(),
      creationTimestamp: obj.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  };
}

export function registerCreate(program: Command): void {
  program
    .command('create')
    .description('Create objects from JSON or YAML files (several documents each); the resource follows from kind')
    .requiredOption('-f, --filename <file>', 'file to read, - for stdin (repeatable)', collect)
    .option('-n, --namespace <namespace>', 'namespace for objects that name none (default "default")')
    .option('--ttl <seconds>', 'delete the objects after this many seconds')
    .addOption(outputOption().default('name'))
    .addHelpText(
      'after',
      `
Examples:
  storagectl create -f pod.yaml
  cat pods.json | storagectl create -f - -n staging
  storagectl create -f session.yaml --ttl 3600

Every document needs kind and metadata.name (Pod → pods, Ingress → ingresses, Policy → policies). A uid and
creationTimestamp are set when absent, as the apiserver does. Every document is checked before anything is written.`,
    )
    .action(async (opts: CreateOptions, cmd: Command) => {
      const ttlSeconds = checkCount(opts.ttl, '--ttl');
      if (ttlSeconds === 0) throw new UsageError('--ttl must be at least 1 second');
      const targets = targetsOf(await readManifests(opts.filename), opts.namespace);
      state.address = targets[0]?.address;
      const session = await openSession(cmd);
      let failed = false;
      for (const { address, object } of targets) {
        state.address = address;
        try {
          const signal = session.signal();
          const created = await session.store.create(session.key(address.key), withServerFields(object), {
            ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
            ...(signal ? { signal } : {}),
          });
          await out(opts.output === 'name' ? `${nameOf(created, address.resource)} created` : formatObject(created, opts.output, address.resource));
        } catch (e) {
          // Like kubectl: report this object and go on with the rest.
          if ((e as { code?: string }).code !== 'KeyExists' && (e as { code?: string }).code !== 'InvalidObj') throw e;
          err(errorMessage(e, address));
          failed = true;
        }
      }
      if (failed) throw new ReportedFailure('some objects were not created');
    });
}
