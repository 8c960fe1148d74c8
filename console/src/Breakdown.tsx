import type { BreakdownLine } from '../../shared/schemas/lead';
import { formatPoints } from './format';

/** The fit and engagement a score counts, after category caps and clamping. */
export interface CountedParts {
  fit: number;
  engagement: number;
}

/**
 * Why a score is what it is: each line's points, largest first. Lines may share a rule id (an
 * account's "Engagement of …" line per top person), so rows are keyed by position. Lines are
 * before category caps; where a part's lines add up to more (or less) than it counts, a note says
 * so, or a rep adding the column would not find the score.
 */
export function Breakdown({ lines, counted, empty }: { lines: readonly BreakdownLine[]; counted: CountedParts; empty: string }) {
  if (lines.length === 0) return <p>{empty}</p>;
  const sorted = [...lines].sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  const notes = capNotes(lines, counted);
  return (
    <>
      <table>
        <caption>Why: each rule's points (after decay and caps)</caption>
        <thead><tr><th scope="col">Rule</th><th scope="col">Kind</th><th scope="col" class="num">Times</th><th scope="col" class="num">Points</th></tr></thead>
        <tbody>
          {sorted.map((line, i) => (
            <tr key={`${i}-${line.ruleId}`}><td>{line.label}</td><td>{line.kind}</td><td class="num">{line.count}</td><td class="num">{formatPoints(line.points)}</td></tr>
          ))}
        </tbody>
      </table>
      {notes.map((note) => <p key={note} class="hint">{note}</p>)}
    </>
  );
}

/** "The engagement lines add up to 100; the score counts 50 (the engagement part is capped)." for each part that differs. */
export function capNotes(lines: readonly BreakdownLine[], counted: CountedParts): string[] {
  return (['fit', 'engagement'] as const).flatMap((kind) => {
    const sum = lines.filter((l) => l.kind === kind).reduce((total, l) => total + l.points, 0);
    // Each line is rounded to cents, the part once: differences below a tenth are rounding.
    if (Math.abs(sum - counted[kind]) < 0.1) return [];
    return [`The ${kind} lines add up to ${Math.round(sum)}; the score counts ${Math.round(counted[kind])} (the ${kind} part is capped).`];
  });
}
