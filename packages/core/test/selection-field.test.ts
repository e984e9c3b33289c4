import { describe, expect, it } from 'vitest';
import { InvalidSelectorError } from '../src/selection/errors.js';
import { escapeFieldValue, unescapeFieldValue } from '../src/selection/field-escape.js';
import { parseFieldSelector } from '../src/selection/field-selector.js';

function parseError(text: string): InvalidSelectorError {
  try {
    parseFieldSelector(text);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidSelectorError);
    return err as InvalidSelectorError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseFieldSelector: accepted forms', () => {
  it.each([
    ['metadata.name=web-0', [{ field: 'metadata.name', operator: '=', value: 'web-0' }]],
    ['metadata.name==web-0', [{ field: 'metadata.name', operator: '=', value: 'web-0' }]],
    ['spec.nodeName!=n1', [{ field: 'spec.nodeName', operator: '!=', value: 'n1' }]],
    ['status.phase=', [{ field: 'status.phase', operator: '=', value: '' }]],
    ['a=x\\,y', [{ field: 'a', operator: '=', value: 'x,y' }]],
    ['a=x\\=y', [{ field: 'a', operator: '=', value: 'x=y' }]],
    ['a=x\\\\y', [{ field: 'a', operator: '=', value: 'x\\y' }]],
    ['a!=\\,', [{ field: 'a', operator: '!=', value: ',' }]],
    [' a = b ', [{ field: ' a ', operator: '=', value: ' b ' }]],
    ['b=2,a=1', [
      { field: 'a', operator: '=', value: '1' },
      { field: 'b', operator: '=', value: '2' },
    ]],
    ['a=1,,b=2,', [
      { field: 'a', operator: '=', value: '1' },
      { field: 'b', operator: '=', value: '2' },
    ]],
  ])('%j', (text, requirements) => {
    const selector = parseFieldSelector(text);
    expect(selector.requirements).toEqual(requirements);
    expect(selector.empty()).toBe(false);
  });

  it.each(['', ',', ',,', '=', '==', '!=', '=,!='])('%j selects everything', (text) => {
    const selector = parseFieldSelector(text);
    expect(selector.empty()).toBe(true);
    expect(selector.matches({})).toBe(true);
    expect(selector.matches({ 'metadata.name': 'x' })).toBe(true);
    expect(selector.toString()).toBe('');
  });
});

describe('parseFieldSelector: toString', () => {
  it.each([
    ['metadata.name=web-0', 'metadata.name=web-0'],
    ['metadata.name==web-0', 'metadata.name=web-0'],
    ['b!=2,a=1', 'a=1,b!=2'],
    ['a=x\\,y,a!=\\=', 'a!=\\=,a=x\\,y'],
    ['a=x\\\\y', 'a=x\\\\y'],
  ])('%j → %j and round-trips', (text, canonical) => {
    const selector = parseFieldSelector(text);
    expect(selector.toString()).toBe(canonical);
    const again = parseFieldSelector(selector.toString());
    expect(again.toString()).toBe(canonical);
    expect(again.requirements).toEqual(selector.requirements);
  });
});

describe('parseFieldSelector: matching', () => {
  const pod = { 'metadata.name': 'web-0', 'metadata.namespace': 'default', 'spec.nodeName': 'n1' };
  it.each([
    ['metadata.name=web-0', true],
    ['metadata.name=web-1', false],
    ['metadata.name!=web-1', true],
    ['metadata.name!=web-0', false],
    ['metadata.name=web-0,metadata.namespace=default', true],
    ['metadata.name=web-0,metadata.namespace=kube-system', false],
    ['status.phase=', true],
    ['status.phase!=Running', true],
    ['status.phase=Running', false],
    ['spec.nodeName!=', true],
  ])('%j → %s', (text, expected) => {
    expect(parseFieldSelector(text).matches(pod)).toBe(expected);
  });

  it('matches escaped values literally', () => {
    expect(parseFieldSelector('a=x\\,y').matches({ a: 'x,y' })).toBe(true);
    expect(parseFieldSelector('a=x\\,y').matches({ a: 'x\\,y' })).toBe(false);
  });

  it('does not treat inherited object properties as fields', () => {
    expect(parseFieldSelector('toString=').matches({})).toBe(true);
    expect(parseFieldSelector('toString!=').matches({})).toBe(false);
  });
});

describe('parseFieldSelector: requiresExactMatch', () => {
  it.each([
    ['metadata.name=n,spec.x!=y', 'metadata.name', 'n'],
    ['metadata.name==n', 'metadata.name', 'n'],
    ['metadata.name=n,spec.x!=y', 'spec.x', undefined],
    ['metadata.name=n', 'metadata.namespace', undefined],
    ['', 'metadata.name', undefined],
    ['a=x\\,y', 'a', 'x,y'],
  ])('%j requires %s = %j', (text, field, value) => {
    expect(parseFieldSelector(text).requiresExactMatch(field)).toBe(value);
  });
});

describe('parseFieldSelector: errors keep the Kubernetes wording', () => {
  it.each([
    ['a', "invalid selector: 'a'; can't understand 'a'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a<b', "invalid selector: 'a<b'; can't understand 'a<b'"],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
    // As in Kubernetes, the unescaped character is shown as its code point ('=' is 61).
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
  ])('%j', (text, message) => {
    const err = parseError(text);
    expect(err.message).toBe(message);
    expect(err.code).toBe('InvalidSelector');
    expect(err.kind).toBe('field');
    expect(err.selector).toBe(text);
  });
});

describe('escapeFieldValue / unescapeFieldValue', () => {
  it.each(['plain', '', 'a,b', 'a=b', 'a\\b', '\\,=\\', 'ünïcode,😀=x'])('%j round-trips', (value) => {
    const escaped = escapeFieldValue(value);
    expect(unescapeFieldValue(escaped)).toBe(value);
    expect(parseFieldSelector(`f=${escaped}`).requiresExactMatch('f')).toBe(value);
  });

  it('escapes exactly backslash, comma and equals', () => {
    expect(escapeFieldValue('a\\b,c=d e')).toBe('a\\\\b\\,c\\=d e');
  });
});
