import { describe, expect, it } from 'vitest';
import { auc, aucFromCounts } from '../../../shared/evidence';

describe('AUC (Mann-Whitney, ties half)', () => {
  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(auc([90, 80, 30, 10], [true, true, false, false])).toBe(1);
    expect(auc([10, 30, 80, 90], [true, true, false, false])).toBe(0);
  });

  it('is 0.5 when every lead has the same score', () => {
    expect(auc([50, 50, 50, 50, 50], [true, false, false, true, false])).toBe(0.5);
  });

  it('counts a tie between a won and a lost lead as half a pair', () => {
    // won 3, 2; lost 2, 1. Pairs: 3>2 (1), 3>1 (1), 2=2 (1/2), 2>1 (1) -> 3.5 of 4 = 0.875.
    expect(auc([3, 2, 2, 1], [true, true, false, false])).toBe(0.875);
    // won 5, 5, 1; lost 5, 0. Pairs: 5=5 (1/2) twice, 5>0 twice, 1<5 (0), 1>0 (1) -> 4 of 6.
    expect(auc([5, 5, 1, 5, 0], [true, true, true, false, false])).toBeCloseTo(4 / 6, 12);
  });

  it('gives the same from counts per score, merged or not', () => {
    expect(
      aucFromCounts([
        { score: 2, won: 1, lost: 0 },
        { score: 1, won: 0, lost: 1 },
        { score: 2, won: 0, lost: 1 },
        { score: 3, won: 1, lost: 0 },
      ]),
    ).toBe(0.875);
  });

  it('is unknown without both won and lost leads', () => {
    expect(auc([1, 2], [true, true])).toBeNull();
    expect(aucFromCounts([])).toBeNull();
  });
});
