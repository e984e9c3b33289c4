import { compareKeys } from '../backend/prefix.js';
import { InvalidSelectorError } from './errors.js';
import { LabelParseError, parseLabelRequirements } from './label-parser.js';
import { requirementMatches, requirementToString, type LabelRequirement } from './label-requirement.js';

/**
 * A parsed Kubernetes label selector: the AND of its requirements, sorted by key.
 *
 * @example
 * const selector = parseLabelSelector('app=web, env in (prod,stage), !canary');
 * selector.matches({ app: 'web', env: 'prod' }); // true
 * selector.toString(); // '!canary,app=web,env in (prod,stage)'
 */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  /** Whether every requirement holds for these labels (always true for an empty selector). */
  matches(labels: Readonly<Record<string, string>>): boolean;
  /** True when the selector does not restrict anything. */
  empty(): boolean;
  /** The value a `key=v`, `key==v` or `key in (v)` requirement demands, if the first requirement on `key` is one. */
  requiresExactMatch(key: string): string | undefined;
  /** Canonical text: requirements sorted by key, values sorted; parses back to an equal selector. */
  toString(): string;
}

class RequirementsSelector implements LabelSelector {
  readonly requirements: readonly LabelRequirement[];

  constructor(requirements: readonly LabelRequirement[]) {
    this.requirements = Object.freeze([...requirements]);
  }

  matches(labels: Readonly<Record<string, string>>): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels));
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((req) => req.key === key);
    if (r === undefined || r.values.length !== 1) return undefined;
    return r.operator === '=' || r.operator === '==' || r.operator === 'in' ? r.values[0] : undefined;
  }

  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }
}

/**
 * Parses a Kubernetes label selector (`labels.Parse`): `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`,
 * `a`, `!a`, `a>1`, `a<1`, joined by commas; the empty string selects everything.
 *
 * @throws InvalidSelectorError with the Kubernetes message, e.g. `unable to parse requirement: …`.
 * @example
 * parseLabelSelector('tier notin (db), version>2').matches({ tier: 'web', version: '3' }); // true
 */
export function parseLabelSelector(text: string): LabelSelector {
  if (typeof text !== 'string') {
    throw new InvalidSelectorError('label', String(text), `label selector must be a string, got ${typeof text}`);
  }
  let requirements: LabelRequirement[];
  try {
    requirements = parseLabelRequirements(text);
  } catch (err) {
    if (err instanceof LabelParseError) throw new InvalidSelectorError('label', text, err.message);
    throw err;
  }
  // Stable sort by key, as Kubernetes sorts parsed requirements for a deterministic form.
  requirements.sort((a, b) => compareKeys(a.key, b.key));
  return new RequirementsSelector(requirements);
}

/** The selector that matches every label set. */
export const everythingLabelSelector: LabelSelector = new RequirementsSelector([]);
