import { objectAddress, rawAddress, type Address } from '../address.js';
import { UsageError } from '../usage-error.js';

/** Objects from `RESOURCE NAME...` (kubectl-style) or one `--key`. */
export function namedObjects(
  resource: string | undefined,
  names: readonly string[],
  opts: { key?: string; namespace?: string },
  verb: string,
): Address[] {
  if (opts.key !== undefined) {
    if (resource !== undefined) throw new UsageError(`give either RESOURCE NAME or --key for ${verb}, not both`);
    const address = rawAddress(opts.key);
    if (address.name === undefined) throw new UsageError(`--key for ${verb} names one object, not a prefix ending in "/"`);
    return [address];
  }
  if (resource === undefined || names.length === 0) throw new UsageError(`${verb} needs RESOURCE NAME (e.g. pods web-0) or --key`);
  return names.map((name) => objectAddress(resource, name, opts));
}

/** One object from `RESOURCE NAME` or `--key`. */
export function oneObject(resource: string | undefined, name: string | undefined, opts: { key?: string; namespace?: string }, verb: string): Address {
  return namedObjects(resource, name === undefined ? [] : [name], opts, verb)[0]!;
}
