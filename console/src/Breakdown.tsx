import type { BreakdownLine } from '../../shared/schemas/lead';
import { formatPoints } from './format';

/**
 * Why a score is what it is: each line's points, largest first. Lines may share a rule id (an
 * account's "Engagement of …" line per top person), so rows are keyed by position.
 */
export function Breakdown({ lines, empty }: { lines: readonly BreakdownLine[]; empty: string }) {
  if (lines.length === 0) return <p>{empty}</p>;
  const sorted = [...lines].sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  return (
    <table>
      <caption>Why: each rule's points (after decay and caps)</caption>
      <thead><tr><th scope="col">Rule</th><th scope="col">Kind</th><th scope="col" class="num">Times</th><th scope="col" class="num">Points</th></tr></thead>
      <tbody>
        {sorted.map((line, i) => (
          <tr key={`${i}-${line.ruleId}`}><td>{line.label}</td><td>{line.kind}</td><td class="num">{line.count}</td><td class="num">{formatPoints(line.points)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}
