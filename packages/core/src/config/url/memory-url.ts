import { randomUUID } from 'node:crypto';
import { ConfigFieldError } from '../config-field-error.js';
import type { BackendSelection } from './backend-selection.js';

const NAME = /^[A-Za-z0-9._-]+$/;

/** A store name nobody can ask for by URL (names given by URL allow no `:`). */
export const privateMemoryName = (): string => `private:${randomUUID()}`;

/** `memory:` / `memory://` (a private store) or `memory:NAME` / `memory://NAME` (shared by name in the process). */
export function parseMemoryUrl(rest: string, field: string): BackendSelection {
  const name = rest.startsWith('//') ? rest.slice(2) : rest;
  if (name === '') return { type: 'memory', serverList: [privateMemoryName()] };
  if (!NAME.test(name)) {
    throw new ConfigFieldError(field, `invalid memory store name ${JSON.stringify(name)} (letters, digits, '.', '_', '-')`);
  }
  return { type: 'memory', serverList: [name] };
}
