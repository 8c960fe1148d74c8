export interface IssueLike {
  path: (string | number)[];
  message: string;
}

export type FailureStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

/**
 * An expected failure the API reports as a 4xx with a machine-readable code (the ApiError
 * shape). Thrown by routes and HTTP helpers; the store and the domain throw DomainError, which
 * the error handler turns into one of these.
 */
export class Failure extends Error {
  constructor(
    readonly status: FailureStatus,
    readonly code: string,
    message: string,
    readonly issues?: IssueLike[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'Failure';
  }
}
