import { DomainError } from '../domain/errors';
import type { CreatedPeriod } from '../store/store';

const DAY = 86_400_000;
const BARE_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The report query's from/to (already validated as a day or an ISO time) as epoch ms. A bare day
 * `to` means the end of that day, as people say "through March 31". An empty or backwards period
 * is refused rather than answered with an empty report that looks like "no leads".
 */
export function createdPeriod(from: string | undefined, to: string | undefined): CreatedPeriod {
  const start = from === undefined ? null : Date.parse(BARE_DAY.test(from) ? `${from}T00:00:00Z` : from);
  const end = to === undefined ? null : BARE_DAY.test(to) ? Date.parse(`${to}T00:00:00Z`) + DAY : Date.parse(to);
  if (start !== null && end !== null && start >= end) throw new DomainError('invalid', 'invalid_period', `the period is empty: from (${from}) must come before to (${to})`);
  return { from: start, to: end };
}
