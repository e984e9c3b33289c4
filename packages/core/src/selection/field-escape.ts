/** Thrown by unescapeFieldValue; the message is Kubernetes' (`invalid field selector: …`). */
export class FieldEscapeError extends Error {}

/**
 * Escapes `\`, `,` and `=` so any literal can be a field selector value (Kubernetes `fields.EscapeValue`).
 *
 * @example
 * `metadata.name=${escapeFieldValue('a,b')}`; // 'metadata.name=a\\,b'
 */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

/**
 * Reverses escapeFieldValue (Kubernetes `fields.UnescapeValue`).
 *
 * @throws FieldEscapeError on an unknown escape or an unescaped `,`/`=`; as in Kubernetes the latter message
 * names the character by its code point (`unescaped character in value: 61`).
 */
export function unescapeFieldValue(text: string): string {
  if (!/[\\,=]/.test(text)) return text;
  let out = '';
  let inSlash = false;
  for (const ch of text) {
    if (inSlash) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') {
        throw new FieldEscapeError(`invalid field selector: invalid escape sequence: \\${ch}`);
      }
      out += ch;
      inSlash = false;
    } else if (ch === '\\') {
      inSlash = true;
    } else if (ch === ',' || ch === '=') {
      throw new FieldEscapeError(`invalid field selector: unescaped character in value: ${ch.codePointAt(0)}`);
    } else {
      out += ch;
    }
  }
  if (inSlash) throw new FieldEscapeError('invalid field selector: invalid escape sequence: \\');
  return out;
}
