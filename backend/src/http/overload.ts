import type { MiddlewareHandler } from 'hono';
import type { ApiError } from '../../../shared/index';

/** Seconds a refused client waits before trying again; the tracker and Segment's SDKs honour it. */
export const OVERLOAD_RETRY_AFTER_S = 1;

/**
 * Sheds load before it queues: while `max` ingest requests are already in flight, the next one is
 * answered 503 with Retry-After at once, without reading its body. Past the rate the database can
 * commit, requests would otherwise wait longer and longer (and clients time out and resend);
 * refused ones are resent later by the tracker, so nothing is lost. 0 turns it off.
 */
export function overloadGuard(max: number): MiddlewareHandler {
  let inFlight = 0;
  return async (c, next) => {
    if (max > 0 && inFlight >= max) {
      c.header('Retry-After', String(OVERLOAD_RETRY_AFTER_S));
      return c.json({ error: 'overloaded', message: `the server is at capacity (${max} ingest requests in flight); retry in ${OVERLOAD_RETRY_AFTER_S} s` } satisfies ApiError, 503);
    }
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  };
}
