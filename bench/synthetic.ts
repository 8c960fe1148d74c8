/**
 * The synthetic workload every benchmark shares: 100k leads with 2M events from a seeded
 * generator, with event names in rough real-world proportions, so the scoring and backend
 * numbers describe the same data.
 */
import { EventName } from '../shared/index';

export const LEADS = 100_000;
export const EVENTS = 2_000_000;

/** Event names with rough real-world weights; a sixth of the events have names no default rule scores. */
const MIX: [string, number][] = [
  [EventName.pageViewed, 45],
  [EventName.emailOpened, 18],
  [EventName.engagedTime, 8],
  [EventName.emailLinkClicked, 7],
  [EventName.outboundClicked, 5],
  [EventName.fileDownloaded, 4],
  [EventName.formSubmitted, 3],
  [EventName.webinarRegistered, 3],
  [EventName.webinarAttended, 2],
  [EventName.demoRequested, 1],
  ['Trial Started', 4],
];
const TOTAL_WEIGHT = MIX.reduce((s, [, w]) => s + w, 0);

export const PATHS = ['/', '/pricing', '/pricing/enterprise', '/product', '/blog/scoring-101', '/blog/2025/webinar', '/docs/api', '/careers', '/careers/sales-engineer', '/about'];

export const randomPath = (rand: () => number): string => PATHS[Math.floor(rand() * PATHS.length)]!;

/** Event counts per lead: 1..39 (mean 20), adjusted so they add up to exactly EVENTS. */
export function eventCounts(rand: () => number): Int32Array {
  const counts = new Int32Array(LEADS);
  let total = 0;
  for (let i = 0; i < LEADS; i++) total += counts[i] = 1 + Math.floor(rand() * 39);
  for (let i = 0; total !== EVENTS; i = (i + 7919) % LEADS) {
    if (total < EVENTS && counts[i]! < 39) (counts[i]!++, total++);
    else if (total > EVENTS && counts[i]! > 1) (counts[i]!--, total--);
  }
  return counts;
}

export function eventName(rand: () => number): string {
  let x = rand() * TOTAL_WEIGHT;
  for (const [name, w] of MIX) if ((x -= w) < 0) return name;
  return MIX[0]![0];
}
