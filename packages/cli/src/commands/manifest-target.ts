import type { StorageObject } from '@storagebackend/core';
import { isClusterScoped, objectAddress, resourceForKind, type Address } from '../address.js';
import type { ManifestObject } from '../manifest.js';
import { CommandError } from '../usage-error.js';

/** Where an object from a file goes: its resource from `kind`, its namespace from metadata, `-n` or `default`. */
export interface ManifestTarget {
  readonly address: Address;
  readonly object: StorageObject;
}

export function targetOf({ object, source }: ManifestObject, namespaceFlag: string | undefined): ManifestTarget {
  const resource = resourceForKind(object.kind as string);
  const meta = object.metadata;
  const own = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  if (own !== undefined && namespaceFlag !== undefined && own !== namespaceFlag) {
    throw new CommandError(
      `the namespace from the provided object "${own}" does not match the namespace "${namespaceFlag}". You must pass '--namespace=${own}' to perform this operation. (in ${source})`,
    );
  }
  if (isClusterScoped(resource)) {
    if (own !== undefined) throw new CommandError(`${resource} are not namespaced, but "${meta.name}" sets metadata.namespace (in ${source})`);
    return { address: objectAddress(resource, meta.name!, {}), object };
  }
  const address = objectAddress(resource, meta.name!, { namespace: own ?? namespaceFlag });
  return { address, object: { ...object, metadata: { ...meta, namespace: address.namespace } } };
}

/** Every target checked first (names, namespaces, duplicates), so a bad document writes nothing. */
export function targetsOf(objects: readonly ManifestObject[], namespaceFlag: string | undefined): ManifestTarget[] {
  const seen = new Set<string>();
  return objects.map((m) => {
    let target: ManifestTarget;
    try {
      target = targetOf(m, namespaceFlag);
    } catch (e) {
      if (e instanceof CommandError) throw e;
      throw new CommandError(`${(e as Error).message} (in ${m.source})`);
    }
    if (seen.has(target.address.key)) throw new CommandError(`${target.address.resource}/${target.address.name} appears twice in the input`);
    seen.add(target.address.key);
    return target;
  });
}
