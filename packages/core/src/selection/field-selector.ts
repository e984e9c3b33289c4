import { compareKeys } from '../backend/prefix.js';
import { InvalidSelectorError } from './errors.js';
import { escapeFieldValue, FieldEscapeError, unescapeFieldValue } from './field-escape.js';

/** One `field=value` or `field!=value` term (`==` is read as `=`). */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/**
 * A parsed Kubernetes field selector: the AND of its terms. A missing field reads as the empty string.
 *
 * @example
 * const selector = parseFieldSelector('metadata.name=web-0,spec.nodeName!=n1');
 * selector.matches({ 'metadata.name': 'web-0', 'spec.nodeName': 'n2' }); // true
 * selector.requiresExactMatch('metadata.name'); // 'web-0'
 */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  matches(fields: Readonly<Record<string, string>>): boolean;
  /** True when the selector does not restrict anything. */
  empty(): boolean;
  /** The value a `field=value` term demands, if there is one for `field`. */
  requiresExactMatch(field: string): string | undefined;
  /** Canonical text, values escaped; parses back to an equal selector. */
  toString(): string;
}

class TermsSelector implements FieldSelector {
  readonly requirements: readonly FieldRequirement[];

  constructor(requirements: readonly FieldRequirement[]) {
    this.requirements = Object.freeze([...requirements]);
  }

  matches(fields: Readonly<Record<string, string>>): boolean {
    return this.requirements.every((r) => {
      const actual = Object.hasOwn(fields, r.field) ? fields[r.field] : '';
      return r.operator === '=' ? actual === r.value : actual !== r.value;
    });
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.operator === '=' && r.field === field)?.value;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

// Splits on commas that are not escaped; the escapes stay in the terms.
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inSlash) inSlash = false;
    else if (ch === '\\') inSlash = true;
    else if (ch === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

// The field part has no escaping: the first operator found splits the term ("!=" and "==" before "=").
function splitTerm(term: string): { field: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/**
 * Parses a Kubernetes field selector (`fields.ParseSelector`): `f=v`, `f==v`, `f!=v` joined by commas, values
 * escaped with `\` (see escapeFieldValue); the empty string selects everything. No whitespace is trimmed.
 *
 * @throws InvalidSelectorError, e.g. `invalid selector: 'a'; can't understand 'a'`.
 * @example
 * parseFieldSelector('metadata.namespace==default').toString(); // 'metadata.namespace=default'
 */
export function parseFieldSelector(text: string): FieldSelector {
  if (typeof text !== 'string') {
    throw new InvalidSelectorError('field', String(text), `field selector must be a string, got ${typeof text}`);
  }
  // Kubernetes sorts the raw terms, which fixes the canonical order.
  const parts = splitTerms(text).sort(compareKeys);
  const requirements: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (split === undefined) {
      throw new InvalidSelectorError('field', text, `invalid selector: '${text}'; can't understand '${part}'`);
    }
    let value: string;
    try {
      value = unescapeFieldValue(split.rhs);
    } catch (err) {
      if (err instanceof FieldEscapeError) throw new InvalidSelectorError('field', text, err.message);
      throw err;
    }
    // A term with neither field nor value ("=") restricts nothing and is dropped, as in Kubernetes.
    if (split.field === '' && value === '') continue;
    requirements.push({ field: split.field, operator: split.op === '!=' ? '!=' : '=', value });
  }
  return new TermsSelector(requirements);
}

/** The selector that matches every field set. */
export const everythingFieldSelector: FieldSelector = new TermsSelector([]);
