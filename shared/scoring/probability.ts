import type { ScoringModel } from '../schemas/model';

/** The probability of conversion at `score` under a model's calibration (fitted on outcomes). */
export function conversionProbability(calibration: NonNullable<ScoringModel['calibration']>, score: number): number {
  const z = calibration.intercept + calibration.slope * score;
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** How a rep reads a probability: "about 1 in 3 leads like this convert", "about 7 in 10 ...". */
export function probabilityText(p: number): string {
  if (p < 0.01) return 'fewer than 1 in 100 leads like this convert';
  if (p >= 0.95) return 'nearly all leads like this convert';
  if (p >= 0.5) return `about ${Math.round(p * 10)} in 10 leads like this convert`;
  return `about 1 in ${Math.round(1 / p)} leads like this convert`;
}
