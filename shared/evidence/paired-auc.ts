import { Z95 } from './wilson';

/** Two models' AUCs on the same leads, their difference (b - a) and its 95% interval. */
export interface PairedAucComparison {
  aucA: number;
  aucB: number;
  /** aucB - aucA. */
  difference: number;
  /** DeLong's standard error of the difference (it accounts for both models scoring the same leads). */
  standardError: number;
  low: number;
  high: number;
}

/**
 * DeLong's placement values for one model: for each won lead, the share of lost leads it beats
 * (ties half); for each lost lead, the share of won leads that beat it. Their means are the AUC.
 */
function placements(scores: readonly number[], won: readonly boolean[]): { wonPlacements: number[]; lostPlacements: number[]; auc: number } {
  const wonScores = scores.filter((_, i) => won[i]).sort((a, b) => a - b);
  const lostScores = scores.filter((_, i) => !won[i]).sort((a, b) => a - b);
  const wonPlacements: number[] = [];
  const lostPlacements: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (won[i]) wonPlacements.push((countBelow(lostScores, s) + 0.5 * countEqual(lostScores, s)) / lostScores.length);
    else lostPlacements.push((wonScores.length - countAtMost(wonScores, s) + 0.5 * countEqual(wonScores, s)) / wonScores.length);
  }
  const auc = wonPlacements.reduce((sum, v) => sum + v, 0) / wonPlacements.length;
  return { wonPlacements, lostPlacements, auc };
}

/** How many sorted values are below x (binary search). */
function countBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many sorted values are at most x. */
function countAtMost(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const countEqual = (sorted: readonly number[], x: number) => countAtMost(sorted, x) - countBelow(sorted, x);

/** Sample covariance of two equally long lists. */
function covariance(a: readonly number[], b: readonly number[]): number {
  if (a.length < 2) return 0;
  const meanA = a.reduce((s, v) => s + v, 0) / a.length;
  const meanB = b.reduce((s, v) => s + v, 0) / b.length;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - meanA) * (b[i]! - meanB);
  return sum / (a.length - 1);
}

/**
 * Compares two models that scored the same leads (DeLong, DeLong & Clarke-Pearson 1988): the AUC
 * of each, the difference and its 95% interval. Paired, so a model that ranks the same leads
 * almost the same way gets a narrow interval, as it should. Null when there are no won or no lost leads.
 */
export function compareAucs(scoresA: readonly number[], scoresB: readonly number[], won: readonly boolean[]): PairedAucComparison | null {
  if (scoresA.length !== won.length || scoresB.length !== won.length) throw new Error('every lead needs a score under both models and an outcome');
  const wonCount = won.filter(Boolean).length;
  const lostCount = won.length - wonCount;
  if (wonCount === 0 || lostCount === 0) return null;
  const a = placements(scoresA, won);
  const b = placements(scoresB, won);
  const varianceOf = (x: readonly number[], y: readonly number[], n: number) => (covariance(x, x) + covariance(y, y) - 2 * covariance(x, y)) / n;
  const variance = varianceOf(a.wonPlacements, b.wonPlacements, wonCount) + varianceOf(a.lostPlacements, b.lostPlacements, lostCount);
  const standardError = Math.sqrt(Math.max(0, variance));
  const difference = b.auc - a.auc;
  return { aucA: a.auc, aucB: b.auc, difference, standardError, low: difference - Z95 * standardError, high: difference + Z95 * standardError };
}

/** One model's AUC with DeLong's 95% interval (clipped to 0..1); null without won and lost leads. */
export function aucWithInterval(scores: readonly number[], won: readonly boolean[]): { auc: number; low: number; high: number } | null {
  const wonCount = won.filter(Boolean).length;
  const lostCount = won.length - wonCount;
  if (wonCount === 0 || lostCount === 0) return null;
  const p = placements(scores, won);
  const standardError = Math.sqrt(covariance(p.wonPlacements, p.wonPlacements) / wonCount + covariance(p.lostPlacements, p.lostPlacements) / lostCount);
  return { auc: p.auc, low: Math.max(0, p.auc - Z95 * standardError), high: Math.min(1, p.auc + Z95 * standardError) };
}
