import { goQuote } from './go-quote.js';

// Kubernetes k8s.io/apimachinery/pkg/api/validate/content: IsLabelKey, IsLabelValue, IsDNS1123Subdomain.
const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY_RE = new RegExp(`^${LABEL_KEY_FMT}$`);
const LABEL_KEY_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

const NAME_MAX = 63;
const VALUE_MAX = 63;
const SUBDOMAIN_MAX = 253;

function maxLenError(length: number): string {
  return `must be no more than ${length} bytes`;
}

// Go's RegexError: "msg (e.g. 'a', or 'b', regex used for validation is 'fmt')".
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  const shown = examples.map((e) => `'${e}', `).join('or ');
  return `${msg} (e.g. ${shown}regex used for validation is '${fmt}')`;
}

// Go measures lengths in bytes; anything non-ASCII fails the character rules anyway.
function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > SUBDOMAIN_MAX) errs.push(maxLenError(SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** Kubernetes `IsQualifiedName`: `[prefix/]name`, an optional DNS-1123 subdomain prefix and a ≤ 63 byte name. */
export function labelKeyErrors(key: string): string[] {
  const parts = key.split('/');
  const examples = ['MyName', 'my.name', '123-abc'];
  if (parts.length > 2) {
    return [
      `a valid label key ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, ...examples)} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const errs: string[] = [];
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') errs.push('prefix part must be non-empty');
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (byteLength(name) > NAME_MAX) errs.push(`name part ${maxLenError(NAME_MAX)}`);
  if (!LABEL_KEY_RE.test(name)) errs.push(`name part ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, ...examples)}`);
  return errs;
}

/** Kubernetes `IsValidLabelValue`: empty, or ≤ 63 bytes of `[A-Za-z0-9_.-]` starting and ending alphanumeric. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > VALUE_MAX) errs.push(maxLenError(VALUE_MAX));
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

export function invalidLabelKeyMessage(key: string): string | undefined {
  const errs = labelKeyErrors(key);
  return errs.length === 0 ? undefined : `invalid label key ${goQuote(key)}: ${errs.join('; ')}`;
}

export function invalidLabelValueMessage(key: string, value: string): string | undefined {
  const errs = labelValueErrors(value);
  return errs.length === 0 ? undefined : `invalid label value: ${goQuote(value)}: at key: ${goQuote(key)}: ${errs.join('; ')}`;
}
