import { describe, expect, it } from 'vitest';
import { decilesOf } from '../../../shared/evidence';

describe('score deciles', () => {
  it('puts the top tenth in decile 1 and the bottom tenth in decile 10', () => {
    const { decileOf, bands } = decilesOf(Array.from({ length: 20 }, (_, i) => ({ score: i + 1, count: 1 })));
    expect([decileOf(20), decileOf(19), decileOf(18), decileOf(2), decileOf(1)]).toEqual([1, 1, 2, 10, 10]);
    expect(bands).toHaveLength(10);
    expect(bands[0]).toEqual({ decile: 1, minScore: 19, maxScore: 20 });
    expect(bands[9]).toEqual({ decile: 10, minScore: 1, maxScore: 2 });
  });

  it('keeps leads with the same score in one decile, where the middle of their ranks falls', () => {
    // 100 leads: 50 at score 90 (ranks 0-49, middle 25 -> decile 3), 50 at score 10 (middle 75 -> decile 8).
    const { decileOf, bands } = decilesOf([
      { score: 90, count: 50 },
      { score: 10, count: 50 },
    ]);
    expect([decileOf(90), decileOf(10)]).toEqual([3, 8]);
    expect(bands.map((b) => b.decile)).toEqual([3, 8]);
  });
});
