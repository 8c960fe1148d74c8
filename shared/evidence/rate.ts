import { wilsonInterval } from './wilson';

/** Conversion among closed leads (won or lost) of one group, with its 95% Wilson interval. */
export interface ConversionRate {
  won: number;
  lost: number;
  /** Closed leads: won + lost. Open leads are never in a rate's denominator. */
  n: number;
  /** won / n; null when n is 0. */
  rate: number | null;
  low: number | null;
  high: number | null;
}

export function conversionRate(won: number, lost: number): ConversionRate {
  const n = won + lost;
  const interval = wilsonInterval(won, n);
  return { won, lost, n, rate: n ? won / n : null, low: interval?.low ?? null, high: interval?.high ?? null };
}

/** How many times the base rate a group converts at; null when either rate is unknown or the base is 0. */
export function lift(rate: number | null, baseRate: number | null): number | null {
  if (rate === null || baseRate === null || baseRate === 0) return null;
  return rate / baseRate;
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** "Hot: 42% (36-48%, n=250)": how a rep reads a rate; "no closed leads" when there is none. */
export function formatRate(label: string, r: ConversionRate): string {
  if (r.rate === null || r.low === null || r.high === null) return `${label}: no closed leads`;
  return `${label}: ${percent(r.rate)} (${Math.round(r.low * 100)}-${percent(r.high)}, n=${r.n})`;
}
