/** Tokens of the label selector grammar (Kubernetes `labels.Lexer`). */
export type TokenKind =
  | 'Error'
  | 'EndOfString'
  | 'ClosedPar'
  | 'Comma'
  | 'DoesNotExist'
  | 'DoubleEquals'
  | 'Equals'
  | 'GreaterThan'
  | 'Identifier'
  | 'In'
  | 'LessThan'
  | 'NotEquals'
  | 'NotIn'
  | 'OpenPar';

export interface ScannedItem {
  readonly kind: TokenKind;
  readonly literal: string;
}

const LITERALS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  [')', 'ClosedPar'],
  [',', 'Comma'],
  ['!', 'DoesNotExist'],
  ['==', 'DoubleEquals'],
  ['=', 'Equals'],
  ['>', 'GreaterThan'],
  ['in', 'In'],
  ['<', 'LessThan'],
  ['!=', 'NotEquals'],
  ['notin', 'NotIn'],
  ['(', 'OpenPar'],
]);

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/** Splits a label selector into tokens, ending with one `EndOfString`. */
export function scan(text: string): ScannedItem[] {
  const items: ScannedItem[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && WHITESPACE.has(text[pos]!)) pos++;
    if (pos >= text.length) {
      items.push({ kind: 'EndOfString', literal: '' });
      return items;
    }
    const start = pos;
    if (SPECIAL.has(text[pos]!)) {
      // Longest run of special characters that still forms a known operator ("!=" but "=" then "(").
      let last: ScannedItem | undefined;
      while (pos < text.length && SPECIAL.has(text[pos]!)) {
        const kind = LITERALS.get(text.slice(start, pos + 1));
        if (kind !== undefined) last = { kind, literal: text.slice(start, pos + 1) };
        else if (last !== undefined) break;
        pos++;
      }
      items.push(last ?? { kind: 'Error', literal: `error expected: keyword found '${text.slice(start, pos)}'` });
      continue;
    }
    while (pos < text.length && !SPECIAL.has(text[pos]!) && !WHITESPACE.has(text[pos]!)) pos++;
    const word = text.slice(start, pos);
    items.push({ kind: LITERALS.get(word) ?? 'Identifier', literal: word });
  }
}
