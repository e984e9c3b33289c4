import { UsageError } from './usage-error.js';

/** Where an object (or a list of them) lives: a key relative to the config prefix, and how to name it. */
export interface Address {
  /** The key under the prefix, e.g. `/pods/default/web-0`, or `/pods/default/` for a list. */
  readonly key: string;
  readonly resource?: string | undefined;
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
}

// Resources Kubernetes keeps without a namespace; everything else is namespaced (default namespace `default`).
const CLUSTER_SCOPED = new Set([
  'namespaces', 'nodes', 'persistentvolumes', 'clusterroles', 'clusterrolebindings', 'storageclasses',
  'customresourcedefinitions', 'priorityclasses', 'apiservices', 'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations', 'csidrivers', 'csinodes', 'runtimeclasses', 'volumeattachments',
  'certificatesigningrequests', 'ingressclasses', 'componentstatuses',
]);

export const DEFAULT_NAMESPACE = 'default';

const SEGMENT = /^[A-Za-z0-9]([A-Za-z0-9._:-]*[A-Za-z0-9])?$/;

export function isClusterScoped(resource: string): boolean {
  return CLUSTER_SCOPED.has(resource);
}

/** `pods` → `/pods/`; `deployments.apps` → `/apps/deployments/` (the core's resource prefix layout). */
export function resourcePath(resource: string): string {
  const lower = resource.toLowerCase();
  const dot = lower.indexOf('.');
  const [res, group] = dot < 0 ? [lower, ''] : [lower.slice(0, dot), lower.slice(dot + 1)];
  for (const part of [res, ...(group === '' ? [] : group.split('.'))]) {
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(part)) throw new UsageError(`invalid resource type ${JSON.stringify(resource)}`);
  }
  return group === '' ? `/${res}/` : `/${group}/${res}/`;
}

function checkSegment(kind: string, value: string): void {
  if (!SEGMENT.test(value)) throw new UsageError(`invalid ${kind} ${JSON.stringify(value)}`);
}

export interface Scope {
  readonly namespace?: string | undefined;
  readonly allNamespaces?: boolean | undefined;
}

/** kubectl's namespace rule: `-n`, else `default` for namespaced resources; none for cluster-scoped ones. */
export function namespaceFor(resource: string, scope: Scope): string | undefined {
  if (isClusterScoped(resource.toLowerCase())) return undefined;
  return scope.namespace ?? DEFAULT_NAMESPACE;
}

/** The key of one object: `/<resource>/<namespace>/<name>` or `/<resource>/<name>` when cluster-scoped. */
export function objectAddress(resource: string, name: string, scope: Scope): Address {
  checkSegment('name', name);
  const namespace = namespaceFor(resource, scope);
  if (namespace !== undefined) checkSegment('namespace', namespace);
  const base = resourcePath(resource);
  return { key: namespace === undefined ? `${base}${name}` : `${base}${namespace}/${name}`, resource: resource.toLowerCase(), namespace, name };
}

/** The prefix of a list: one namespace, or every namespace with `-A`, or the whole resource when cluster-scoped. */
export function listAddress(resource: string, scope: Scope): Address {
  const base = resourcePath(resource);
  if (scope.allNamespaces) return { key: base, resource: resource.toLowerCase() };
  const namespace = namespaceFor(resource, scope);
  if (namespace === undefined) return { key: base, resource: resource.toLowerCase() };
  checkSegment('namespace', namespace);
  return { key: `${base}${namespace}/`, resource: resource.toLowerCase(), namespace };
}

/** A raw `--key`, relative to the prefix: must start with `/`; a resource and name are read from it for messages. */
export function rawAddress(key: string): Address {
  if (!key.startsWith('/') || key === '/') throw new UsageError(`--key must start with "/" and name something under the prefix, e.g. /pods/default/web-0`);
  const parts = key.split('/').filter((p) => p !== '');
  return { key, resource: parts[0], name: key.endsWith('/') ? undefined : parts.at(-1) };
}

/**
 * kubectl's guess from a kind to its resource (`UnsafeGuessKindToResource`): lower case, then `s`, `es` after a
 * trailing s, `ies` for a trailing consonant+y; `Endpoints` stays.
 */
export function resourceForKind(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === 'endpoints') return lower;
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y') && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}
