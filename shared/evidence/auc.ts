/** Won and lost counts of the leads that share one score. */
export interface ScoreCounts {
  score: number;
  won: number;
  lost: number;
}

/**
 * The area under the ROC curve from won/lost counts per distinct score (Mann-Whitney U / (W·L)):
 * the chance that a random won lead scores above a random lost one, ties counted half. Working
 * from counts per score keeps it exact and in memory bounded by the distinct scores, whatever
 * the number of leads. Null when there are no won or no lost leads (nothing to rank).
 */
export function aucFromCounts(counts: Iterable<ScoreCounts>): number | null {
  const sorted = [...counts].sort((a, b) => a.score - b.score);
  let lostBelow = 0;
  let pairsWon = 0;
  let totalWon = 0;
  for (let i = 0; i < sorted.length; ) {
    // Merge entries with the same score, so callers may pass them unmerged.
    let won = 0;
    let lost = 0;
    const score = sorted[i]!.score;
    for (; i < sorted.length && sorted[i]!.score === score; i++) (won += sorted[i]!.won, lost += sorted[i]!.lost);
    pairsWon += won * lostBelow + 0.5 * won * lost;
    lostBelow += lost;
    totalWon += won;
  }
  const pairs = totalWon * lostBelow;
  return pairs === 0 ? null : pairsWon / pairs;
}

/** The same from one score and one outcome per lead (true = won). */
export function auc(scores: readonly number[], won: readonly boolean[]): number | null {
  return aucFromCounts(scores.map((score, i) => ({ score, won: won[i] ? 1 : 0, lost: won[i] ? 0 : 1 })));
}
