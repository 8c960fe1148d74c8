import type { z } from 'zod';

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

/**
 * `input` parsed by `schema`, or a DomainError('invalid', code) naming the first problem: for
 * entry points that the CLI and the HTTP routes share (reports, backtests, learning).
 */
export function parseOrRefuse<T extends z.ZodType>(schema: T, input: unknown, code: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new DomainError('invalid', code, `${issue.path.map(String).join('.') || 'input'}: ${issue.message}`);
}
