/** Which kind of selector failed to parse. */
export type SelectorKind = 'label' | 'field';

/**
 * A label or field selector could not be parsed; the message keeps the Kubernetes wording. The store answers it
 * with 400 BadRequest.
 *
 * @example
 * try {
 *   parseLabelSelector('app in (web');
 * } catch (err) {
 *   if (err instanceof InvalidSelectorError) console.log(err.kind, err.selector, err.message);
 * }
 */
export class InvalidSelectorError extends Error {
  override readonly name = 'InvalidSelectorError';
  readonly code = 'InvalidSelector';
  readonly kind: SelectorKind;
  /** The selector text as given. */
  readonly selector: string;

  constructor(kind: SelectorKind, selector: string, message: string) {
    super(message);
    this.kind = kind;
    this.selector = selector;
  }
}

export function isInvalidSelectorError(err: unknown): err is InvalidSelectorError {
  return err instanceof InvalidSelectorError;
}
