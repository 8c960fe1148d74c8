/** How many leads share one score. */
export interface ScoreCount {
  score: number;
  count: number;
}

/** A decile's score range; decile 1 holds the highest scores. */
export interface DecileBand {
  decile: number;
  minScore: number;
  maxScore: number;
}

/**
 * Splits leads into ten groups by score rank, decile 1 the top tenth. Leads with the same score
 * always share a decile (the one where the middle of their ranks falls), so with many ties a
 * decile may hold more or fewer than a tenth, or none. Returns a score's decile and the bands.
 */
export function decilesOf(counts: Iterable<ScoreCount>): { decileOf: (score: number) => number; bands: DecileBand[] } {
  const sorted = [...counts].sort((a, b) => b.score - a.score);
  const total = sorted.reduce((sum, c) => sum + c.count, 0);
  const byScore = new Map<number, number>();
  const bands = new Map<number, DecileBand>();
  let above = 0;
  for (const { score, count } of sorted) {
    const decile = Math.min(10, 1 + Math.floor(((above + count / 2) / total) * 10));
    above += count;
    byScore.set(score, decile);
    const band = bands.get(decile);
    if (band) band.minScore = score;
    else bands.set(decile, { decile, minScore: score, maxScore: score });
  }
  return {
    decileOf: (score) => {
      const decile = byScore.get(score);
      if (decile === undefined) throw new Error(`score ${score} was not counted`);
      return decile;
    },
    bands: [...bands.values()].sort((a, b) => a.decile - b.decile),
  };
}
