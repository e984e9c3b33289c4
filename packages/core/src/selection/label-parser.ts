import { invalidLabelKeyMessage } from './label-validation.js';
import { newLabelRequirement, type LabelOperator, type LabelRequirement } from './label-requirement.js';
import { scan, type ScannedItem, type TokenKind } from './lexer.js';

// Thrown inside the parser only; parseLabelSelector turns it into an InvalidSelectorError.
export class LabelParseError extends Error {}

type Context = 'KeyAndOperator' | 'Values';

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

const OPERATORS: Partial<Record<TokenKind, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Equals: '=',
  DoubleEquals: '==',
  NotEquals: '!=',
  GreaterThan: 'gt',
  LessThan: 'lt',
};

/** Recursive-descent parser over the scanned tokens (Kubernetes `labels.Parser`). */
class Parser {
  private position = 0;
  constructor(private readonly items: readonly ScannedItem[]) {}

  // In a values context the keywords `in`/`notin` are plain identifiers ("x in (in)").
  private lookahead(context: Context): ScannedItem {
    const item = this.items[Math.min(this.position, this.items.length - 1)]!;
    return context === 'Values' && (item.kind === 'In' || item.kind === 'NotIn')
      ? { kind: 'Identifier', literal: item.literal }
      : item;
  }

  private consume(context: Context): ScannedItem {
    const item = this.lookahead(context);
    this.position++;
    return item;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const next = this.lookahead('Values');
      if (next.kind === 'EndOfString') return requirements;
      if (next.kind !== 'Identifier' && next.kind !== 'DoesNotExist') {
        throw new LabelParseError(`found '${next.literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (err) {
        if (err instanceof LabelParseError) throw new LabelParseError(`unable to parse requirement: ${err.message}`);
        throw err;
      }
      const after = this.consume('Values');
      if (after.kind === 'EndOfString') return requirements;
      if (after.kind !== 'Comma') throw new LabelParseError(`found '${after.literal}', expected: ',' or 'end of string'`);
      const following = this.lookahead('Values');
      if (following.kind !== 'Identifier' && following.kind !== 'DoesNotExist') {
        throw new LabelParseError(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const { key, operator: inferred } = this.parseKeyAndInferOperator();
    if (inferred !== undefined) return build(key, inferred, []);
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    return build(key, operator, [...values]);
  }

  // `!key` is DoesNotExist; a bare key followed by ',' or the end is Exists.
  private parseKeyAndInferOperator(): { key: string; operator: LabelOperator | undefined } {
    let operator: LabelOperator | undefined;
    let item = this.consume('Values');
    if (item.kind === 'DoesNotExist') {
      operator = '!';
      item = this.consume('Values');
    }
    if (item.kind !== 'Identifier') throw new LabelParseError(`found '${item.literal}', expected: identifier`);
    const keyError = invalidLabelKeyMessage(item.literal);
    if (keyError !== undefined) throw new LabelParseError(keyError);
    const next = this.lookahead('Values').kind;
    if ((next === 'EndOfString' || next === 'Comma') && operator === undefined) operator = 'exists';
    return { key: item.literal, operator };
  }

  private parseOperator(): LabelOperator {
    const item = this.consume('KeyAndOperator');
    const operator = OPERATORS[item.kind];
    if (operator === undefined) throw new LabelParseError(`found '${item.literal}', expected: ${BINARY_OPERATORS}`);
    return operator;
  }

  private parseValues(): Set<string> {
    const open = this.consume('Values');
    if (open.kind !== 'OpenPar') throw new LabelParseError(`found '${open.literal}' expected: '('`);
    const next = this.lookahead('Values');
    if (next.kind === 'ClosedPar') {
      this.consume('Values');
      return new Set(['']);
    }
    if (next.kind !== 'Identifier' && next.kind !== 'Comma') {
      throw new LabelParseError(`found '${next.literal}', expected: ',', ')' or identifier`);
    }
    const values = this.parseIdentifiersList();
    if (this.consume('Values').kind !== 'ClosedPar') throw new LabelParseError(`found '${next.literal}', expected: ')'`);
    return values;
  }

  // A comma-separated list where empty entries stand for the empty value: "(a,,b)", "(,a)", "(a,)".
  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const item = this.consume('Values');
      if (item.kind === 'Identifier') {
        values.add(item.literal);
        const next = this.lookahead('Values');
        if (next.kind === 'Comma') continue;
        if (next.kind === 'ClosedPar') return values;
        throw new LabelParseError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (item.kind !== 'Comma') throw new LabelParseError(`found '${item.literal}', expected: ',', or identifier`);
      if (values.size === 0) values.add('');
      const next = this.lookahead('Values').kind;
      if (next === 'ClosedPar') {
        values.add('');
        return values;
      }
      if (next === 'Comma') {
        // Consumed here, as Go does: so "(a,,)" and "(,,)" end on ')' where an identifier is expected.
        this.consume('Values');
        values.add('');
      }
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead('Values');
    if (next.kind === 'EndOfString' || next.kind === 'Comma') return new Set(['']);
    const item = this.consume('Values');
    if (item.kind === 'Identifier') return new Set([item.literal]);
    throw new LabelParseError(`found '${item.literal}', expected: identifier`);
  }
}

function build(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const result = newLabelRequirement(key, operator, values);
  if (typeof result === 'string') throw new LabelParseError(result);
  return result;
}

/** Parses label selector text into requirements, in input order; throws LabelParseError. */
export function parseLabelRequirements(text: string): LabelRequirement[] {
  return new Parser(scan(text)).parse();
}
