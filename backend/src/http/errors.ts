import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError, ZodType } from 'zod';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE, type ApiError } from '../../../shared/index';
import { DomainError, type DomainErrorKind } from '../domain/errors';
import { Failure, type FailureStatus, type IssueLike } from './failure';
import type { Logger } from '../log';
import { readBody } from './body';

const MAX_ISSUES = 50;

export function issuesOf(error: ZodError): IssueLike[] {
  return error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
    message: issue.message,
  }));
}

/** Validates `value`, or throws a 400 whose message names the first problem and whose issues list them all. */
export function parseWith<S extends ZodType>(schema: S, value: unknown, code: string): S['_output'] {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = issuesOf(parsed.error);
  const first = issues[0]!;
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
  throw new Failure(400, code, `${first.path.length ? `${first.path.join('.')}: ` : ''}${first.message}${more}`, issues);
}

/**
 * Refuses text a store cannot keep (see shared/schemas/text.ts) where no schema reads it: keys
 * from headers and route parameters. Same shape as a validation error, with the field's path.
 */
export function requireStorable<T>(value: T, path: (string | number)[]): T {
  if (typeof value !== 'string' || isStorableText(value)) return value;
  throw new Failure(400, 'invalid_text', `${path.join('.')}: ${UNSTORABLE_TEXT_MESSAGE}`, [{ path, message: UNSTORABLE_TEXT_MESSAGE }]);
}

/**
 * Far deeper than any real payload. Validation and JSON.stringify recurse once per level, so
 * deeper input would overflow the stack (a 500) instead of being refused.
 */
export const MAX_JSON_DEPTH = 64;

export function parseJsonText(text: string): unknown {
  if (exceedsDepth(text, MAX_JSON_DEPTH)) throw new Failure(400, 'invalid_json', `the request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Failure(400, 'invalid_json', 'the request body is not valid JSON');
  }
}

/** True when [ and { (outside strings) nest deeper than `limit`; one pass that jumps over strings, no allocation. */
function exceedsDepth(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = closingQuote(text, i);
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Where the string opened at `open` ends (text.length if it does not): the next quote not escaped by a backslash. */
function closingQuote(text: string, open: number): number {
  for (let at = text.indexOf('"', open + 1); at !== -1; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return text.length;
}

/** The body (at most `limit` bytes) as JSON, validated by `schema`. */
export async function readJson<S extends ZodType>(c: Context, schema: S, limit: number, code = 'invalid_body'): Promise<S['_output']> {
  return parseWith(schema, parseJsonText(await readBody(c, limit)), code);
}

function failureResponse(c: Context, failure: Failure): Response {
  const body: ApiError = { error: failure.code, message: failure.message, ...(failure.issues ? { issues: failure.issues } : {}) };
  for (const [name, value] of Object.entries(failure.headers ?? {})) c.header(name, value);
  return c.json(body, failure.status);
}

const STATUS_OF: Record<DomainErrorKind, FailureStatus> = { invalid: 400, not_found: 404, conflict: 409, unprocessable: 422 };

/** Expected failures become their 4xx; anything else is logged and becomes a 500 that reveals nothing. */
export function errorHandler(logger: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof Failure) return failureResponse(c, err);
    if (err instanceof DomainError) return failureResponse(c, new Failure(STATUS_OF[err.kind], err.code, err.message));
    if (err instanceof HTTPException && err.status < 500) {
      return c.json({ error: 'bad_request', message: err.message || 'the request could not be read' } satisfies ApiError, err.status);
    }
    logger.error('unhandled error', { method: c.req.method, path: c.req.path, error: err.message, stack: err.stack });
    return c.json({ error: 'internal_error', message: 'something went wrong on our side; it has been logged' } satisfies ApiError, 500);
  };
}

export function notFound(c: Context): Response {
  return failureResponse(c, new Failure(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
}
