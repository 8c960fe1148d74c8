/**
 * L2-regularized logistic regression fitted by IRLS (Newton's method), written small: the design is
 * sparse (each lead has a dozen or so non-zero features out of a hundred), so each Newton step is
 * one pass over the leads accumulating a dense p x p Hessian, then a Cholesky solve. Newton
 * converges in a handful of steps and is deterministic (no learning rate, no shuffling), which is
 * why it was chosen over L-BFGS or a numeric library: the same data always gives the same bytes.
 */

/** One lead's features: column indices (ascending) and their values; the intercept is implicit. */
export interface SparseRow {
  indices: Int32Array;
  values: Float64Array;
}

export interface LogisticFit {
  intercept: number;
  coefficients: Float64Array;
  iterations: number;
}

const MAX_ITERATIONS = 30;
const TOLERANCE = 1e-8;

export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export function linearPredictor(fit: Pick<LogisticFit, 'intercept' | 'coefficients'>, row: SparseRow): number {
  let eta = fit.intercept;
  for (let k = 0; k < row.indices.length; k++) eta += fit.coefficients[row.indices[k]!]! * row.values[k]!;
  return eta;
}

/**
 * Minimizes -loglik + lambda/2 * |beta|^2 (the intercept is not penalized) over `rows` with 0/1
 * outcomes `y`, from `start` when given (warm starts along a lambda path).
 */
export function fitLogistic(rows: readonly SparseRow[], y: Uint8Array, columns: number, lambda: number, start?: LogisticFit): LogisticFit {
  const p = columns + 1; // column `columns` is the intercept
  const beta = new Float64Array(p);
  if (start) {
    beta.set(start.coefficients);
    beta[columns] = start.intercept;
  } else {
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    beta[columns] = Math.log(Math.max(mean, 1e-6) / Math.max(1 - mean, 1e-6));
  }
  const hessian = new Float64Array(p * p);
  const gradient = new Float64Array(p);
  let iterations = 0;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    hessian.fill(0);
    gradient.fill(0);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const mu = sigmoid(linearPredictor({ intercept: beta[columns]!, coefficients: beta }, row));
      const w = Math.max(mu * (1 - mu), 1e-10);
      const residual = y[i]! - mu;
      accumulate(hessian, gradient, row, columns, p, w, residual);
    }
    for (let j = 0; j < columns; j++) {
      hessian[j * p + j]! += lambda;
      gradient[j]! -= lambda * beta[j]!;
    }
    const step = choleskySolve(hessian, gradient, p);
    let change = 0;
    for (let j = 0; j < p; j++) {
      beta[j]! += step[j]!;
      change = Math.max(change, Math.abs(step[j]!));
    }
    if (change < TOLERANCE) break;
  }
  return { intercept: beta[columns]!, coefficients: beta.slice(0, columns), iterations: iterations + 1 };
}

/** Adds one row's w * x x^T (upper triangle, mirrored at solve time) and residual * x. */
function accumulate(hessian: Float64Array, gradient: Float64Array, row: SparseRow, intercept: number, p: number, w: number, residual: number): void {
  const { indices, values } = row;
  const n = indices.length;
  for (let a = 0; a < n; a++) {
    const ia = indices[a]!;
    const va = values[a]!;
    gradient[ia]! += residual * va;
    const base = ia * p;
    for (let b = a; b < n; b++) hessian[base + indices[b]!]! += w * va * values[b]!;
    hessian[base + intercept]! += w * va;
  }
  gradient[intercept]! += residual;
  hessian[intercept * p + intercept]! += w;
}

/** Solves H x = g for a symmetric positive definite H given by its upper triangle (row i, column j >= i). */
function choleskySolve(upper: Float64Array, g: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = upper[j * p + i]!;
      for (let k = 0; k < j; k++) sum -= l[i * p + k]! * l[j * p + k]!;
      l[i * p + j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j * p + j]!;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = g[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * p + k]! * z[k]!;
    z[i] = sum / l[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < p; k++) sum -= l[k * p + i]! * x[k]!;
    x[i] = sum / l[i * p + i]!;
  }
  return x;
}

/** Mean log-loss of `fit` on rows: what the penalty strength is chosen by. */
export function logLoss(fit: LogisticFit, rows: readonly SparseRow[], y: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    const mu = Math.min(1 - 1e-12, Math.max(1e-12, sigmoid(linearPredictor(fit, rows[i]!))));
    sum -= y[i] ? Math.log(mu) : Math.log(1 - mu);
  }
  return sum / rows.length;
}
