import { describe, expect, it } from 'vitest';
import { InvalidSelectorError } from '../src/selection/errors.js';
import { parseLabelSelector } from '../src/selection/label-selector.js';

const KEY_NAME_RULE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric " +
  "character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end " +
  "with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is " +
  "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end " +
  "with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function parseError(text: string): InvalidSelectorError {
  try {
    parseLabelSelector(text);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidSelectorError);
    return err as InvalidSelectorError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseLabelSelector: accepted forms', () => {
  it.each([
    ['app=web', { key: 'app', operator: '=', values: ['web'] }],
    ['app==web', { key: 'app', operator: '==', values: ['web'] }],
    ['app!=web', { key: 'app', operator: '!=', values: ['web'] }],
    ['env in (prod,stage)', { key: 'env', operator: 'in', values: ['prod', 'stage'] }],
    ['env notin (stage,prod)', { key: 'env', operator: 'notin', values: ['prod', 'stage'] }],
    ['canary', { key: 'canary', operator: 'exists', values: [] }],
    ['!canary', { key: 'canary', operator: '!', values: [] }],
    ['replicas>1', { key: 'replicas', operator: 'gt', values: ['1'] }],
    ['replicas<10', { key: 'replicas', operator: 'lt', values: ['10'] }],
    ['x=', { key: 'x', operator: '=', values: [''] }],
    ['x in ()', { key: 'x', operator: 'in', values: [''] }],
    ['x in (a,,b)', { key: 'x', operator: 'in', values: ['', 'a', 'b'] }],
    ['x in (,,a)', { key: 'x', operator: 'in', values: ['', 'a'] }],
    ['x notin (, a)', { key: 'x', operator: 'notin', values: ['', 'a'] }],
    ['a in (x,y,notin, z,in)', { key: 'a', operator: 'in', values: ['in', 'notin', 'x', 'y', 'z'] }],
    ['notin=in', { key: 'notin', operator: '=', values: ['in'] }],
    ['example.com/tier=db', { key: 'example.com/tier', operator: '=', values: ['db'] }],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', {
      key: '0.1.2.domain/99', operator: 'notin', values: ['10.10.100.1', 'tick.tack.clock'],
    }],
    ['\t x  notin\n\r (abc)  ', { key: 'x', operator: 'notin', values: ['abc'] }],
  ])('%j', (text, requirement) => {
    const selector = parseLabelSelector(text);
    expect(selector.requirements).toEqual([requirement]);
    expect(selector.empty()).toBe(false);
  });

  it.each(['', '   ', '\t\n'])('%j selects everything', (text) => {
    const selector = parseLabelSelector(text);
    expect(selector.empty()).toBe(true);
    expect(selector.requirements).toEqual([]);
    expect(selector.matches({})).toBe(true);
    expect(selector.matches({ any: 'thing' })).toBe(true);
    expect(selector.toString()).toBe('');
  });

  it('ANDs comma-separated requirements and sorts them by key', () => {
    const selector = parseLabelSelector('x notin (abc,,def),bar,z in (),w');
    expect(selector.requirements.map((r) => r.key)).toEqual(['bar', 'w', 'x', 'z']);
  });
});

describe('parseLabelSelector: toString', () => {
  // Kubernetes TestSelectorParse: the canonical text equals the input without spaces.
  it.each(['x=a,y=b,z=c', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5'])('%j', (text) => {
    expect(parseLabelSelector(text).toString()).toBe(text.replaceAll(' ', ''));
  });

  it.each([
    ['z in (b,a), a notin (y,x) ,!c, d==e, f', 'a notin (x,y),!c,d==e,f,z in (a,b)'],
    ['x in (a,)', 'x in (,a)'],
    ['x in (b,a,b)', 'x in (a,b)'],
    ['x=a,a=x', 'a=x,x=a'],
    ['a=x,x=a', 'a=x,x=a'],
  ])('%j → %j and round-trips', (text, canonical) => {
    const selector = parseLabelSelector(text);
    expect(selector.toString()).toBe(canonical);
    const again = parseLabelSelector(selector.toString());
    expect(again.toString()).toBe(canonical);
    expect(again.requirements).toEqual(selector.requirements);
  });
});

describe('parseLabelSelector: matching', () => {
  it.each([
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x==y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['x!=y', {}, true],
    ['x', { x: 'z' }, true],
    ['x', { x: '' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x in (a,b)', { x: 'b' }, true],
    ['x in (a,)', { x: '' }, true],
    ['x notin (a,b)', { x: 'c' }, true],
    ['x notin (a,b)', {}, true],
    ['x=', { x: '' }, true],
    ['x=z', {}, false],
    ['x=', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x>1', { x: '1' }, false],
    ['x<1', { x: '2' }, false],
    ['x>1', {}, false],
    ['x>1', { x: 'two' }, false],
    ['x>9223372036854775806', { x: '9223372036854775807' }, true],
    ['x>1', { x: '9223372036854775808' }, false],
    ['x in (a,b)', { x: 'c' }, false],
    ['x in (a,b)', {}, false],
    ['x notin (a,b)', { x: 'a' }, false],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
  ] as const)('%j on %j → %s', (text, labels, expected) => {
    expect(parseLabelSelector(text).matches(labels)).toBe(expected);
  });

  it('does not treat inherited object properties as labels', () => {
    expect(parseLabelSelector('toString').matches({})).toBe(false);
    expect(parseLabelSelector('!constructor').matches({})).toBe(true);
  });
});

describe('parseLabelSelector: requiresExactMatch', () => {
  it.each([
    ['app=web', 'app', 'web'],
    ['app==web', 'app', 'web'],
    ['app in (web)', 'app', 'web'],
    ['app in (web,api)', 'app', undefined],
    ['app!=web', 'app', undefined],
    ['app', 'app', undefined],
    ['tier=db', 'app', undefined],
  ])('%j requires %s = %j', (text, key, value) => {
    expect(parseLabelSelector(text).requiresExactMatch(key)).toBe(value);
  });
});

describe('parseLabelSelector: errors keep the Kubernetes wording', () => {
  it.each([
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
    ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
    ['x,,y', "found ',', expected: identifier after ','"],
    ['a in (xyz),', "found '', expected: identifier after ','"],
    [',x,y', "found ',', expected: !, identifier, or 'end of string'"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['x<a', "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer"],
    ['x>', "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer"],
    ['x>99999999999999999999', "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer"],
    ['x>>1', "unable to parse requirement: found '>', expected: identifier"],
    ['x nott in (y)', "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in x', "unable to parse requirement: found 'x' expected: '('"],
    ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ['a in (x=)', "unable to parse requirement: found '=', expected: ',' or ')'"],
    // Two commas then ')': Go consumes the second comma and then wants an identifier.
    ['x in (a,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['x in (,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['x in (a,,a,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['-x', `unable to parse requirement: invalid label key "-x": ${KEY_NAME_RULE}`],
    ['x/', `unable to parse requirement: invalid label key "x/": name part must be non-empty; ${KEY_NAME_RULE}`],
    ['/x', 'unable to parse requirement: invalid label key "/x": prefix part must be non-empty'],
    ['Example.com/x', `unable to parse requirement: invalid label key "Example.com/x": prefix part ${SUBDOMAIN_RULE}`],
    ['x=a||y=b', `unable to parse requirement: invalid label value: "a||y": at key: "x": ${VALUE_RULE}`],
    ['x in (ok,-bad)', `unable to parse requirement: invalid label value: "-bad": at key: "x": ${VALUE_RULE}`],
    [
      'x>-1a',
      "unable to parse requirement: [for 'Gt', 'Lt' operators, the value must be an integer, " +
        `invalid label value: "-1a": at key: "x": ${VALUE_RULE}]`,
    ],
  ])('%j', (text, message) => {
    const err = parseError(text);
    expect(err.message).toBe(message);
    expect(err.code).toBe('InvalidSelector');
    expect(err.kind).toBe('label');
    expect(err.selector).toBe(text);
  });

  it('rejects keys with more than one slash', () => {
    expect(parseError('a/b/c').message).toBe(
      'unable to parse requirement: invalid label key "a/b/c": a valid label key must consist of alphanumeric ' +
        "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or " +
        "'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an " +
        "optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
  });

  it('limits key names and values to 63 bytes', () => {
    const ok = 'k'.repeat(63);
    expect(parseLabelSelector(`${ok}=${ok}`).matches({ [ok]: ok })).toBe(true);
    const long = 'k'.repeat(64);
    expect(parseError(`${long}=v`).message).toBe(
      `unable to parse requirement: invalid label key "${long}": name part must be no more than 63 bytes`,
    );
    expect(parseError(`x=${long}`).message).toBe(
      `unable to parse requirement: invalid label value: "${long}": at key: "x": must be no more than 63 bytes`,
    );
    expect(parseLabelSelector(`${'d'.repeat(200)}.com/x`).empty()).toBe(false);
  });

  it('quotes control and non-ASCII characters the way Go does', () => {
    expect(parseError('x=\x01').message).toContain('invalid label value: "\\x01": at key: "x"');
    expect(parseError('ключ').message).toContain('invalid label key "ключ"');
  });

  it('rejects a non-string selector with a typed error', () => {
    const err = (() => {
      try {
        parseLabelSelector(42 as unknown as string);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidSelectorError);
  });
});
