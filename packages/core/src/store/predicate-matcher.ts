import { newBadRequest } from '../errors/api-errors.js';
import { parseFieldSelector, type FieldSelector } from '../selection/field-selector.js';
import { parseLabelSelector, type LabelSelector } from '../selection/label-selector.js';
import type { StorageObject } from '../storage/object.js';
import type { SelectionPredicate } from '../storage/options.js';

/** A parsed SelectionPredicate: selectors compiled once per call, matching decoded objects. */
export interface PredicateMatcher<T> {
  /** No label and no field selector: every object matches. */
  readonly empty: boolean;
  readonly limit: number;
  matches(obj: T): boolean;
  /** The value of an exact `field=value` requirement, if any (e.g. `metadata.name`). */
  requiresExactMatch(field: string): string | undefined;
}

const EMPTY_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** Reads a dotted field path (`spec.nodeName`) as a string, the way Kubernetes field sets hold values. */
function fieldValue(obj: unknown, path: string): string | undefined {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return undefined;
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

/** Field values for a selector: `metadata.name`/`metadata.namespace` always (empty when unset), other paths on demand. */
function defaultFields(obj: StorageObject, selector: FieldSelector): Record<string, string> {
  const fields: Record<string, string> = {
    'metadata.name': obj.metadata?.name ?? '',
    'metadata.namespace': obj.metadata?.namespace ?? '',
  };
  for (const { field } of selector.requirements) {
    if (field in fields) continue;
    const value = fieldValue(obj, field);
    if (value !== undefined) fields[field] = value;
  }
  return fields;
}

export function compilePredicate<T extends StorageObject>(predicate: SelectionPredicate<T> | undefined): PredicateMatcher<T> {
  let label: LabelSelector;
  let field: FieldSelector;
  try {
    label = parseLabelSelector(predicate?.label ?? '');
    field = parseFieldSelector(predicate?.field ?? '');
  } catch (err) {
    throw newBadRequest((err as Error).message, err);
  }
  const limit = predicate?.limit ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 0) throw newBadRequest(`invalid limit: ${String(predicate?.limit)}`);
  const empty = label.empty() && field.empty();
  const getAttrs = predicate?.getAttrs;
  return {
    empty,
    limit,
    matches(obj) {
      if (empty) return true;
      if (getAttrs) {
        const attrs = getAttrs(obj);
        return label.matches(attrs.labels) && field.matches(attrs.fields);
      }
      return label.matches(obj.metadata?.labels ?? EMPTY_LABELS) && field.matches(defaultFields(obj, field));
    },
    requiresExactMatch: (name) => field.requiresExactMatch(name),
  };
}
