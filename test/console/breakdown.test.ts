import { describe, expect, it } from 'vitest';
import { capNotes } from '../../console/src/Breakdown';
import type { BreakdownLine } from '../../shared/schemas/lead';

const line = (kind: BreakdownLine['kind'], points: number): BreakdownLine => ({ ruleId: `r${points}`, kind, label: `rule ${points}`, count: 1, points });

describe('the breakdown’s cap notes', () => {
  it('says nothing when the lines add up to what the score counts (rounding aside)', () => {
    expect(capNotes([line('fit', 10), line('engagement', 24.98), line('engagement', 9.99)], { fit: 10, engagement: 34.98 })).toEqual([]);
  });

  it('says where a part is capped, so the column adds up to the score', () => {
    const lines = [line('engagement', 49.95), line('engagement', 24.98), line('engagement', 15), line('engagement', 9.99)];
    expect(capNotes(lines, { fit: 0, engagement: 50 })).toEqual(['The engagement lines add up to 100; the score counts 50 (the engagement part is capped).']);
    expect(capNotes([line('fit', 70)], { fit: 50, engagement: 0 })).toEqual(['The fit lines add up to 70; the score counts 50 (the fit part is capped).']);
  });
});
