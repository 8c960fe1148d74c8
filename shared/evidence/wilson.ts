/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval for a proportion of `successes` in `n` trials. Unlike the textbook
 * p ± z·sqrt(p(1-p)/n) it stays inside 0..1 and is honest for small n and rates near 0 or 1,
 * which is exactly where a tier with few closed leads sits. Undefined (null) when n is 0.
 */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 or n successes a bound is exactly 0 or 1; rounding would otherwise leave 0.9999999999999999.
  return { low: successes === 0 ? 0 : Math.max(0, center - half), high: successes === n ? 1 : Math.min(1, center + half) };
}
