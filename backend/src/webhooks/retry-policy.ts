import type { AttemptOutcome } from '../store/webhooks/webhook-store';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The waits before each retry (Standard Webhooks' recommended schedule, extended to about three days). */
export const RETRY_SCHEDULE_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR];
/** An endpoint failing this long without a success is disabled. */
export const DISABLE_AFTER_FAILING_MS = 3 * 24 * HOUR;
/** A Retry-After longer than this is capped (a receiver cannot park deliveries for weeks). */
const MAX_RETRY_AFTER_MS = 24 * HOUR;

/** What came back from one attempt: a status (and Retry-After), or an error before any status. */
export type AttemptResult = { status: number; retryAfterMs?: number } | { error: string };

/** ±10 % so that retries of many deliveries failed at once do not arrive at once again. */
export function withJitter(ms: number, random: () => number): number {
  return Math.round(ms * (0.9 + 0.2 * random()));
}

/** Reads a Retry-After header: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * SECOND;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * The outcome of attempt number `attempt` (1 is the first send): delivered on 2xx; the endpoint
 * disabled on 410 Gone; otherwise the next retry of the schedule (or the receiver's Retry-After
 * on 429 / 503), failed for good after the last; and the endpoint disabled once it has failed
 * for three days without a success.
 */
export function attemptOutcome(result: AttemptResult, attempt: number, failingSince: number | null, now: number, random: () => number = Math.random): AttemptOutcome {
  if ('status' in result && result.status >= 200 && result.status < 300) return { state: 'delivered', status: result.status, error: null };
  const status = 'status' in result ? result.status : null;
  const error = 'status' in result ? `HTTP ${result.status}` : result.error;
  if (status === 410) return { state: 'failed', status, error, disableEndpoint: `the receiver answered 410 Gone at ${new Date(now).toISOString()}` };
  const since = failingSince ?? now;
  const disableEndpoint = now - since >= DISABLE_AFTER_FAILING_MS ? `every delivery failed since ${new Date(since).toISOString()} (3 days)` : undefined;
  const wait = RETRY_SCHEDULE_MS[attempt - 1];
  if (wait === undefined) return { state: 'failed', status, error, disableEndpoint };
  const retryAfter = (status === 429 || status === 503) && 'retryAfterMs' in result && result.retryAfterMs !== undefined ? Math.min(result.retryAfterMs, MAX_RETRY_AFTER_MS) : undefined;
  return { state: 'pending', status, error, nextAttemptAt: now + (retryAfter ?? withJitter(wait, random)), disableEndpoint };
}
