import { ConfigError } from '../errors/internal-error.js';

/**
 * A config field (or URL, file, environment variable) that is unusable. `field` names it, e.g. `url`,
 * `compactionIntervalMs`, `STORAGECTL_BACKEND`; the message never holds a password.
 *
 * @example
 * try { configFromUrl('redis://h:notaport'); } catch (err) { if (err instanceof ConfigFieldError) console.log(err.field); }
 */
export class ConfigFieldError extends ConfigError {
  readonly field: string;

  constructor(field: string, detail: string, cause?: unknown) {
    super('InvalidConfig', `invalid storage config: ${field}: ${detail}`, cause);
    this.field = field;
  }
}

/** Is this a {@link ConfigFieldError} (also across package copies)? */
export function isConfigFieldError(err: unknown): err is ConfigFieldError {
  return err instanceof ConfigFieldError || (err instanceof Error && typeof (err as { field?: unknown }).field === 'string' && err.name === 'ConfigError');
}
