import { describe, expect, it } from 'vitest';
import { auc, aucWithInterval, compareAucs } from '../../../shared/evidence';
import { prng } from '../../support/prng';

describe('paired AUC comparison (DeLong)', () => {
  it('matches a hand-computed small case', () => {
    // won: leads 0 and 1; lost: leads 2 and 3.
    // A ranks perfectly: AUC 1, every placement 1, no variance.
    // B: won scores 4 and 1, lost 2 and 3 -> AUC 2/4 = 0.5. Won placements [1, 0] (sample variance 0.5),
    // lost placements [1/2, 1/2] (variance 0). var(B - A) = 0.5/2 + 0/2 = 0.25 -> SE 0.5,
    // interval -0.5 ± 1.96·0.5 = -1.48 .. 0.48.
    const result = compareAucs([4, 3, 2, 1], [4, 1, 2, 3], [true, true, false, false])!;
    expect(result.aucA).toBe(1);
    expect(result.aucB).toBe(0.5);
    expect(result.difference).toBe(-0.5);
    expect(result.standardError).toBeCloseTo(0.5, 12);
    expect(result.low).toBeCloseTo(-1.48, 2);
    expect(result.high).toBeCloseTo(0.48, 2);
  });

  it('gives a zero-width interval for the same model twice, and counts ties half', () => {
    const result = compareAucs([3, 2, 2, 1], [3, 2, 2, 1], [true, true, false, false])!;
    expect(result).toMatchObject({ aucA: 0.875, aucB: 0.875, difference: 0, standardError: 0 });
  });

  it('agrees with a paired bootstrap of the same leads', () => {
    const rand = prng(7);
    const n = 600;
    const won: boolean[] = [];
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < n; i++) {
      const signal = rand();
      won.push(rand() < signal);
      // A sees the signal with some noise, B with more; both round to whole points (ties happen).
      a.push(Math.round(100 * (signal + 0.3 * rand())));
      b.push(Math.round(100 * (signal + 0.8 * rand())));
    }
    const delong = compareAucs(a, b, won)!;
    expect(delong.aucA).toBeCloseTo(auc(a, won)!, 12);
    expect(delong.aucB).toBeCloseTo(auc(b, won)!, 12);
    const differences: number[] = [];
    for (let r = 0; r < 400; r++) {
      const pick = Array.from({ length: n }, () => Math.floor(rand() * n));
      const w = pick.map((i) => won[i]!);
      differences.push(auc(pick.map((i) => b[i]!), w)! - auc(pick.map((i) => a[i]!), w)!);
    }
    const mean = differences.reduce((s, d) => s + d, 0) / differences.length;
    const bootstrapSe = Math.sqrt(differences.reduce((s, d) => s + (d - mean) ** 2, 0) / (differences.length - 1));
    expect(delong.difference).toBeLessThan(0);
    expect(delong.standardError / bootstrapSe).toBeGreaterThan(0.85);
    expect(delong.standardError / bootstrapSe).toBeLessThan(1.15);
  });

  it('is unknown without both outcomes, and refuses lists of different lengths', () => {
    expect(compareAucs([1, 2], [2, 1], [true, true])).toBeNull();
    expect(() => compareAucs([1, 2], [1], [true, false])).toThrow();
  });
});

describe('aucWithInterval', () => {
  it('gives the AUC inside an interval that narrows as leads grow, and none without both outcomes', () => {
    const scores = [1, 2, 3, 4, 5, 6, 7, 8];
    const won = [false, false, true, false, true, false, true, true];
    const small = aucWithInterval(scores, won)!;
    // Won scores 3,5,7,8 against lost 1,2,4,6: 2+3+4+4 = 13 of 16 pairs.
    expect(small.auc).toBeCloseTo(13 / 16, 12);
    expect(small.low).toBeLessThan(small.auc);
    expect(small.high).toBeGreaterThan(small.auc);
    const times = (k: number) => Array.from({ length: k }, () => 0);
    const big = aucWithInterval(times(50).flatMap(() => scores), times(50).flatMap(() => won))!;
    expect(big.auc).toBeCloseTo(13 / 16, 12);
    expect(big.high - big.low).toBeLessThan((small.high - small.low) / 5);
    expect(aucWithInterval([1, 2], [true, true])).toBeNull();
  });
});
