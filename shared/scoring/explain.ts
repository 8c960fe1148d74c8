import type { BreakdownLine } from '../schemas/lead';

/** The n lines that move the score most (by absolute points, ties in breakdown order); zero lines are left out. */
export function topReasons(breakdown: readonly BreakdownLine[], n = 5): { label: string; points: number }[] {
  return breakdown
    .filter((line) => line.points !== 0)
    .map((line, i) => ({ line, i }))
    .sort((a, b) => Math.abs(b.line.points) - Math.abs(a.line.points) || a.i - b.i)
    .slice(0, n)
    .map(({ line }) => ({ label: line.label, points: line.points }));
}
