import type { EngagementRule, FitRule, ScoringModel } from '../../../shared/index';

export { prng } from '../../support/prng';

export const DAY = 86_400_000;
/** A fixed "now" so every expected number below is computed by hand once. */
export const NOW = Date.UTC(2026, 0, 31);


/** A small valid model; tests override the parts they exercise. */
export function model(parts: { fit?: FitRule[]; engagement?: EngagementRule[] } & Partial<Omit<ScoringModel, 'fit' | 'engagement'>> = {}): ScoringModel {
  const { fit = [], engagement = [], ...rest } = parts;
  return {
    version: 1,
    name: 'test model',
    halfLifeDays: 10,
    fit: { max: 50, rules: fit },
    engagement: { max: 50, rules: engagement },
    grades: [
      { grade: 'A', minFit: 30 },
      { grade: 'B', minFit: 20 },
      { grade: 'C', minFit: 10 },
    ],
    tiers: [
      { name: 'Hot', min: 70 },
      { name: 'Warm', min: 40 },
      { name: 'Cold', min: 0 },
    ],
    stages: { MQL: [{ minScore: 40 }], SQL: [{ minScore: 80 }] },
    ...rest,
  };
}

export const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
export const round2 = (x: number) => Math.round(x * 100) / 100;
