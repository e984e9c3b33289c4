import type { ListMeta, StorageObject } from '@storagebackend/core';
import { stringify } from 'yaml';
import { resourceForKind } from './address.js';
import { age, renderTable } from './table.js';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'name'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const toJson = (value: unknown): string => JSON.stringify(value, null, 2);
export const toYaml = (value: unknown): string => stringify(value, { lineWidth: 0 }).trimEnd();

/** `pods/web-0`: the resource (from the address, else guessed from `kind`) and the name. */
export function nameOf(obj: StorageObject, resource?: string): string {
  const kind = typeof obj.kind === 'string' && obj.kind !== '' ? resourceForKind(obj.kind) : undefined;
  return `${resource ?? kind ?? 'objects'}/${obj.metadata?.name ?? ''}`;
}

export function formatObject(obj: StorageObject, format: OutputFormat, resource?: string): string {
  if (format === 'json') return toJson(obj);
  if (format === 'yaml') return toYaml(obj);
  if (format === 'name') return nameOf(obj, resource);
  return formatTable([obj], { resource, showNamespace: false, showKind: false });
}

export interface TableOptions {
  readonly resource?: string | undefined;
  readonly showNamespace: boolean;
  /** A KIND column, for lists that mix resources (everything under the prefix). */
  readonly showKind: boolean;
}

export function formatTable(items: readonly StorageObject[], options: TableOptions): string {
  const headers = [...(options.showNamespace ? ['NAMESPACE'] : []), 'NAME', ...(options.showKind ? ['KIND'] : []), 'AGE'];
  const rows = items.map((obj) => [
    ...(options.showNamespace ? [obj.metadata?.namespace ?? ''] : []),
    obj.metadata?.name ?? '',
    ...(options.showKind ? [typeof obj.kind === 'string' ? obj.kind : '<none>'] : []),
    age(obj.metadata?.creationTimestamp),
  ]);
  return renderTable(headers, rows);
}

/** A Kubernetes `List` document of the items, with the list's metadata. */
export function listDocument(items: readonly StorageObject[], metadata: ListMeta): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'List', metadata, items };
}

export function formatList(
  items: readonly StorageObject[],
  metadata: ListMeta,
  format: OutputFormat,
  table: TableOptions,
): string | undefined {
  if (format === 'json') return toJson(listDocument(items, metadata));
  if (format === 'yaml') return toYaml(listDocument(items, metadata));
  if (items.length === 0) return undefined;
  if (format === 'name') return items.map((o) => nameOf(o, table.resource)).join('\n');
  return formatTable(items, table);
}
