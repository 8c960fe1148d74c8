import { MAX_REPORT_GROUPS, NONE_VALUE, OTHER_VALUE } from '../../../shared/index';

/** Won, lost and open leads of one group. */
export interface Counts {
  won: number;
  lost: number;
  open: number;
}

export const emptyCounts = (): Counts => ({ won: 0, lost: 0, open: 0 });

export function count(counts: Counts, outcome: 'won' | 'lost' | null): void {
  if (outcome === 'won') counts.won++;
  else if (outcome === 'lost') counts.lost++;
  else counts.open++;
}

/**
 * Counts per value of one breakdown, in memory bounded by MAX_REPORT_GROUPS: values first seen
 * after the limit are summed under "(other)", so a free-text attribute cannot grow a report
 * without bound. Leads without the value count under "(none)".
 */
export class GroupCounts {
  readonly #groups = new Map<string, Counts>();

  add(value: unknown, outcome: 'won' | 'lost' | null): void {
    count(this.#counts(labelOf(value)), outcome);
  }

  /** Named values seen so far; "(none)" and "(other)" do not count against the limit. */
  #named = 0;

  #counts(label: string): Counts {
    const known = this.#groups.get(label);
    if (known) return known;
    const special = label === NONE_VALUE || label === OTHER_VALUE;
    if (!special && this.#named >= MAX_REPORT_GROUPS) return this.#counts(OTHER_VALUE);
    if (!special) this.#named++;
    const counts = emptyCounts();
    this.#groups.set(label, counts);
    return counts;
  }

  entries(): [string, Counts][] {
    return [...this.#groups.entries()];
  }
}

/** A scalar attribute value as a group label; anything else (missing, null, objects) is "(none)". */
function labelOf(value: unknown): string {
  if (typeof value === 'string') return value === '' ? NONE_VALUE : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return NONE_VALUE;
}
