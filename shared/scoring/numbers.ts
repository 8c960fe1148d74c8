/** Rounds half away from zero to 2 decimals, the same way for positive and negative points; never returns -0. */
export function round2(x: number): number {
  const r = Math.round(Math.abs(x) * 100) / 100;
  return x < 0 && r !== 0 ? -r : r;
}

export function clamp(x: number, min: number, max: number): number {
  return x < min ? min : x > max ? max : x;
}

export const DAY_MS = 86_400_000;

/** 2^-k for every whole k down to the smallest double; exact, built once. */
const HALVINGS = Float64Array.from({ length: 1076 }, (_, k) => 2 ** -k);

/**
 * The share of its points an occurrence keeps after `ageMs`: 1/2 per half-life; a half-life of 0
 * means no decay. Split into whole half-lives (an exact power of two from a table) and the
 * fraction left (Math.exp, several times cheaper than Math.pow), so whole half-lives are exact.
 */
export function decayFactor(ageMs: number, halfLifeMs: number): number {
  if (ageMs <= 0 || halfLifeMs === 0) return 1;
  const halvings = ageMs / halfLifeMs;
  const whole = Math.floor(halvings);
  if (whole >= 1076) return 0;
  return HALVINGS[whole]! * Math.exp((whole - halvings) * Math.LN2);
}
