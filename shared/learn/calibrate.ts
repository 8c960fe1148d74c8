import { fitLogistic, type SparseRow } from './logistic';
import type { Calibration } from './points';

/**
 * Platt scaling: the probability of conversion as a logistic function of the score, fitted on the
 * training leads' scores (rounded points, as the model will give them), so the probability a
 * rep reads belongs to the score they see.
 */
export function calibrate(scores: readonly number[], won: Uint8Array): Calibration {
  const rows: SparseRow[] = scores.map((s) => ({ indices: Int32Array.of(0), values: Float64Array.of(s / 100) }));
  const fit = fitLogistic(rows, won, 1, 0);
  return { intercept: fit.intercept, slope: fit.coefficients[0]! / 100 };
}

export interface CalibrationDecile {
  decile: number;
  leads: number;
  predicted: number;
  actual: number;
}

/** Leads in ten groups by predicted probability (1 = highest), with the mean prediction and the actual rate of each. */
export function calibrationByDecile(predicted: readonly number[], won: readonly boolean[]): CalibrationDecile[] {
  const order = predicted.map((p, i) => i).sort((a, b) => predicted[b]! - predicted[a]! || a - b);
  const deciles: CalibrationDecile[] = [];
  for (let d = 0; d < 10; d++) {
    const slice = order.slice(Math.floor((d * order.length) / 10), Math.floor(((d + 1) * order.length) / 10));
    if (slice.length === 0) continue;
    const mean = (f: (i: number) => number) => slice.reduce((s, i) => s + f(i), 0) / slice.length;
    deciles.push({ decile: d + 1, leads: slice.length, predicted: mean((i) => predicted[i]!), actual: mean((i) => (won[i] ? 1 : 0)) });
  }
  return deciles;
}
