/** The value at percentile `p` (0-100) of ascending `sorted`: the nearest rank at or below. */
export const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const ascending = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

export const median = (xs: readonly number[]) => percentile(ascending(xs), 50);

export const p95 = (xs: readonly number[]) => percentile(ascending(xs), 95);

export const ms = (x: number) => `${x.toFixed(1)} ms`;
