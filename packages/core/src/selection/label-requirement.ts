import { compareKeys } from '../backend/prefix.js';
import { invalidLabelKeyMessage, invalidLabelValueMessage } from './label-validation.js';

/** Kubernetes `selection.Operator` values a label requirement can use. */
export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/**
 * One condition of a label selector: a key, an operator and its (sorted, distinct) values.
 *
 * @example
 * parseLabelSelector('env in (prod,stage)').requirements[0]; // { key: 'env', operator: 'in', values: ['prod', 'stage'] }
 */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's `strconv.ParseInt(s, 10, 64)`; undefined when it would fail. */
export function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

function aggregate(errs: readonly string[]): string {
  const distinct = [...new Set(errs)];
  return distinct.length === 1 ? distinct[0]! : `[${distinct.join(', ')}]`;
}

/**
 * Validates and builds a requirement (Kubernetes `labels.NewRequirement`); returns the error message instead
 * when the key, operator or values are invalid.
 */
export function newLabelRequirement(
  key: string,
  operator: LabelOperator,
  values: readonly string[],
): LabelRequirement | string {
  const errs: string[] = [];
  const keyError = invalidLabelKeyMessage(key);
  if (keyError !== undefined) errs.push(keyError);
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push("for 'in', 'notin' operators, values set can't be empty");
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push('exact-match compatibility requires one single value');
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push('values set must be empty for exists and does not exist');
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push("for 'Gt', 'Lt' operators, exactly one value is required");
      for (const v of values) {
        if (parseInt64(v) === undefined) errs.push("for 'Gt', 'Lt' operators, the value must be an integer");
      }
      break;
    default:
      errs.push(`operator '${String(operator)}' is not recognized`);
  }
  for (const v of values) {
    const valueError = invalidLabelValueMessage(key, v);
    if (valueError !== undefined) errs.push(valueError);
  }
  if (errs.length > 0) return aggregate(errs);
  const sorted = [...new Set(values)].sort(compareKeys);
  return Object.freeze({ key, operator, values: Object.freeze(sorted) });
}

/** Kubernetes `Requirement.Matches`. */
export function requirementMatches(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const actual = parseInt64(value!);
      const bound = parseInt64(r.values[0]!);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

const OPERATOR_TEXT: Readonly<Record<LabelOperator, string>> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

/** Kubernetes `Requirement.String`: `k=v`, `k in (a,b)`, `!k`, `k>1`. */
export function requirementToString(r: LabelRequirement): string {
  if (r.operator === 'exists') return r.key;
  if (r.operator === '!') return `!${r.key}`;
  const values = [...r.values].sort(compareKeys).join(',');
  const set = r.operator === 'in' || r.operator === 'notin';
  return `${r.key}${OPERATOR_TEXT[r.operator]}${set ? `(${values})` : values}`;
}
