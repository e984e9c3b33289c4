import type { ResourceVersionMatch, StorageObject } from '@storagebackend/core';
import type { Command } from 'commander';
import type { Address } from '../address.js';
import { formatList, type OutputFormat } from '../output.js';
import { err, openSession, out, state } from '../run-state.js';

export interface ListRequest {
  readonly address: Address;
  readonly label?: string | undefined;
  readonly field?: string | undefined;
  readonly limit?: number | undefined;
  readonly continueToken?: string | undefined;
  readonly resourceVersion?: string | undefined;
  readonly resourceVersionMatch?: ResourceVersionMatch | undefined;
  readonly output: OutputFormat;
  readonly showNamespace: boolean;
  /** The list mixes resources (everything under the prefix): show KIND, name by kind. */
  readonly mixed: boolean;
}

/** Lists under a prefix through the store (selectors, pages, resource versions as Kubernetes lists do). */
export async function listObjects(command: Command, req: ListRequest): Promise<void> {
  state.address = req.address;
  const session = await openSession(command);
  const predicate = {
    ...(req.label === undefined ? {} : { label: req.label }),
    ...(req.field === undefined ? {} : { field: req.field }),
    ...(req.limit === undefined ? {} : { limit: req.limit }),
    ...(req.continueToken === undefined ? {} : { continue: req.continueToken }),
  };
  const signal = session.signal();
  const list = await session.store.getList(session.key(req.address.key), {
    recursive: true,
    predicate,
    ...(req.resourceVersion === undefined ? {} : { resourceVersion: req.resourceVersion }),
    ...(req.resourceVersionMatch === undefined ? {} : { resourceVersionMatch: req.resourceVersionMatch }),
    ...(signal ? { signal } : {}),
  });
  const items = list.items as StorageObject[];
  const text = formatList(items, list.metadata, req.output, {
    resource: req.mixed ? undefined : req.address.resource,
    showNamespace: req.showNamespace,
    showKind: req.mixed,
  });
  if (text === undefined) {
    err(req.address.namespace === undefined ? 'No resources found' : `No resources found in ${req.address.namespace} namespace.`);
  } else {
    await out(text);
  }
  // The token goes to stderr in table/name output, so stdout stays the listing.
  if (list.metadata.continue && (req.output === 'table' || req.output === 'name')) {
    err(`more results: --continue ${list.metadata.continue}` + (list.metadata.remainingItemCount === undefined ? '' : ` (${list.metadata.remainingItemCount} remaining)`));
  }
}
