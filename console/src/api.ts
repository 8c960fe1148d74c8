import type { ApiError } from '../../shared/schemas/api';

/** A refused API call: the HTTP status and the API's machine-readable code and message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** Called when the session has ended (401), so the app can show the sign-in page. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/**
 * A same-origin JSON call. The session cookie goes along by itself (httpOnly: this code never
 * sees it); the browser adds the Origin header the backend checks on changes.
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const error = (payload ?? {}) as Partial<ApiError>;
    if (response.status === 401 && path !== '/api/session') onSignedOut();
    throw new ApiFailure(response.status, error.error ?? 'http_error', error.message ?? `the server answered ${response.status}`);
  }
  return payload as T;
}

/** The message to show for a failed call. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A file sent as the request body (the backend streams it), with the options as query parameters. */
export async function upload<T>(path: string, params: URLSearchParams, file: Blob, type = 'text/csv'): Promise<T> {
  const response = await fetch(`${path}?${params}`, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'content-type': type }, body: file });
  const payload = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const error = (payload ?? {}) as Partial<ApiError>;
    if (response.status === 401) onSignedOut();
    throw new ApiFailure(response.status, error.error ?? 'http_error', error.message ?? `the server answered ${response.status}`);
  }
  return payload as T;
}
