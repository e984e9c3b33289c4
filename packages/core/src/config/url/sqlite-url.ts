import { ConfigFieldError } from '../config-field-error.js';
import type { BackendSelection } from './backend-selection.js';

/**
 * `sqlite:./data.db`, `sqlite:/abs/path.db`, `sqlite:///abs/path.db` (also `sqlite://./data.db`) and
 * `sqlite::memory:`. A relative path is relative to the working directory. The path is taken literally (no
 * percent-decoding), and `?`/`#` are refused rather than silently becoming part of a file name.
 */
export function parseSqliteUrl(rest: string, field: string): BackendSelection {
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  if (path === '') throw new ConfigFieldError(field, 'sqlite: needs a file path or :memory:, e.g. sqlite:./data.db');
  if (/[?#]/.test(path)) {
    throw new ConfigFieldError(field, 'sqlite URLs take no query or fragment; set driverOptions in a config file');
  }
  return { type: 'sqlite', serverList: [path] };
}
