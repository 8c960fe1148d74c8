/** Why the domain refused: `invalid` input, a `not_found` record, a `conflict` with stored data, an `unprocessable` request. */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'unprocessable';

/**
 * An expected refusal found below the HTTP layer (often inside a transaction), with a
 * machine-readable code. It knows nothing of HTTP: http/errors.ts maps its kind to a status.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
