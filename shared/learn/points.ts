import type { EngagementRule, FitRule, ScoringModel } from '../schemas/model';
import { levelCount, type FeatureGroup, type FeatureSpec } from './features';
import type { LogisticFit } from './logistic';

/**
 * Turns a fitted regression into an ordinary points model, as credit scorecards do: score =
 * base + points of each group's level, with points = weight x F, F chosen so that the training
 * leads span 0 to 100. Each group's total is rounded once (cumulative rounding), so a lead's
 * score is off the regression by at most half a point per group, and every point is a rule a rep
 * can read: "Industry is Software +12", "Webinar Attended: 2+ +6".
 */
export interface PointsScale {
  /** Points per unit of log-odds: ln(2) x F points double the odds. */
  pointsPerLogOdds: number;
  /** The linear predictor at score 0. */
  etaAtZero: number;
}

/** F and the offset from the training leads' linear predictors (the lowest at 0, the highest at 100). */
export function pointsScale(etas: readonly number[]): PointsScale {
  let low = Infinity;
  let high = -Infinity;
  for (const eta of etas) {
    if (eta < low) low = eta;
    if (eta > high) high = eta;
  }
  return { pointsPerLogOdds: high > low ? 100 / (high - low) : 1, etaAtZero: low };
}

export interface PointsModelOptions {
  name: string;
  halfLifeDays: number;
}

/** The model's rules (fit and engagement) from the fit; tiers, grades and stages are set by `withThresholds`. */
export function pointsRules(spec: FeatureSpec, fit: LogisticFit, scale: PointsScale): { fit: FitRule[]; engagement: EngagementRule[] } {
  const F = scale.pointsPerLogOdds;
  const w = (column: number) => fit.coefficients[column]!;
  const ids = new UniqueIds();
  let base = fit.intercept - scale.etaAtZero;
  const fitRules: FitRule[] = [];
  const engagement: EngagementRule[] = [];
  for (const group of spec.groups) {
    if (group.kind === 'engagement') {
      engagement.push(...engagementRules(spec, group, (s) => F * w(group.column + s), ids));
      continue;
    }
    const missing = w(group.column);
    base += missing;
    // Cumulative points of each level above "missing", rounded once per level.
    const totals = Array.from({ length: levelCount(group) }, (_, level) => Math.round(F * (w(group.column + level) - missing)));
    fitRules.push(...(group.kind === 'numeric' ? numericRules(group, totals, ids) : categoricalRules(group, totals, ids)));
  }
  const baseRule: FitRule = { id: ids.take('base'), label: 'Base score', when: [], points: Math.round(F * base) };
  return { fit: [baseRule, ...fitRules].filter((r) => r.points !== 0 || r.when.length === 0), engagement: engagement.filter((r) => r.points !== 0) };
}

function numericRules(group: Extract<FeatureGroup, { kind: 'numeric' }>, totals: number[], ids: UniqueIds): FitRule[] {
  const rules: FitRule[] = [{ id: ids.take(`${group.key}-known`), label: `${group.key} known`, when: [{ attr: group.key, op: 'exists' }], points: totals[1]! }];
  group.cuts.forEach((cut, j) => {
    rules.push({ id: ids.take(`${group.key}-${cut}-plus`), label: `${group.key} ${cut}+`, when: [{ attr: group.key, op: 'gte', value: cut }], points: totals[j + 2]! - totals[j + 1]! });
  });
  return rules;
}

function categoricalRules(group: Extract<FeatureGroup, { kind: 'categorical' }>, totals: number[], ids: UniqueIds): FitRule[] {
  const other = group.other ? totals[group.values.length + 1]! : 0;
  const rules: FitRule[] = group.other ? [{ id: ids.take(`${group.key}-other`), label: `${group.key}: any value`, when: [{ attr: group.key, op: 'exists' }], points: other }] : [];
  group.values.forEach((value, i) => {
    rules.push({ id: ids.take(`${group.key}-${String(value)}`), label: `${group.key} is ${String(value)}`, when: [{ attr: group.key, op: 'eq', value }], points: totals[i + 1]! - other });
  });
  return rules;
}

/** One rule per step: "at least k events" gives its increment once (maxCount 1, no decay, minCount k). */
function engagementRules(spec: FeatureSpec, group: Extract<FeatureGroup, { kind: 'engagement' }>, points: (step: number) => number, ids: UniqueIds): EngagementRule[] {
  const source = spec.sources[group.source]!;
  let exact = 0;
  let previous = 0;
  return group.steps.map((k, s) => {
    exact += points(s);
    const total = Math.round(exact);
    const rule: EngagementRule = {
      id: ids.take(`${source.id}-${k}`),
      label: k === 1 ? source.label : `${source.label}: ${k}+`,
      event: source.event,
      ...(source.where ? { where: source.where } : {}),
      points: total - previous,
      ...(k > 1 ? { minCount: k } : {}),
      maxCount: 1,
      halfLifeDays: 0,
    };
    previous = total;
    return rule;
  });
}

/** Rule ids as the schema wants them (lowercase, digits, dashes, at most 64), unique within the model. */
class UniqueIds {
  readonly #taken = new Set<string>();

  take(text: string): string {
    const slug = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56) || 'rule';
    let id = /^[a-z0-9]/.test(slug) ? slug : `r-${slug}`.slice(0, 56);
    for (let n = 2; this.#taken.has(id); n++) id = `${slug}-${n}`;
    this.#taken.add(id);
    return id;
  }
}

export interface Calibration {
  intercept: number;
  slope: number;
}

/**
 * Tiers at the scores where the calibrated probability reaches twice the base rate (Hot) and the
 * base rate (Warm); grades at the training leads' fit quartiles; MQL at Warm, SQL at Hot.
 */
export function withThresholds(rules: { fit: FitRule[]; engagement: EngagementRule[] }, calibration: Calibration, baseRate: number, fits: readonly number[], options: PointsModelOptions): ScoringModel {
  const scoreAt = (p: number) => (Math.log(p / (1 - p)) - calibration.intercept) / calibration.slope;
  const clampScore = (s: number) => Math.min(99, Math.max(1, Math.round(Number.isFinite(s) ? s : 50)));
  const warm = clampScore(scoreAt(Math.min(baseRate, 0.99)));
  const hot = Math.max(warm + 1, clampScore(scoreAt(Math.min(2 * baseRate, 0.99))));
  const sorted = [...fits].sort((a, b) => a - b);
  const quartile = (q: number) => Math.round(sorted[Math.floor(q * (sorted.length - 1))] ?? 0);
  const gradeMins = [quartile(0.75), quartile(0.5), quartile(0.25)];
  for (let i = 1; i < gradeMins.length; i++) gradeMins[i] = Math.min(gradeMins[i]!, gradeMins[i - 1]! - 1);
  return {
    version: 1,
    name: options.name,
    halfLifeDays: options.halfLifeDays,
    fit: { max: 100, rules: rules.fit },
    engagement: { max: 100, rules: rules.engagement },
    grades: [
      { grade: 'A', minFit: gradeMins[0]! },
      { grade: 'B', minFit: gradeMins[1]! },
      { grade: 'C', minFit: gradeMins[2]! },
    ],
    tiers: [
      { name: 'Hot', min: hot },
      { name: 'Warm', min: warm },
      { name: 'Cold', min: 0 },
    ],
    stages: { MQL: [{ minScore: warm }], SQL: [{ minScore: hot }] },
    calibration,
  };
}
