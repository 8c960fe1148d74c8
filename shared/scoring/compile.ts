import { ScoringModel, type Grade, type Stage } from '../schemas/model';
import { compileAccountModel, type CompiledAccountModel } from './account';
import { fingerprint } from './fingerprint';
import { DAY_MS, round2 } from './numbers';
import { allAttributes, allProperties, type RecordTest } from './predicates';

export interface CompiledFitRule {
  id: string;
  label: string;
  /** Rounded to 2 decimals, as its breakdown line shows it. */
  points: number;
  holds: RecordTest;
}

export interface CompiledEngagementRule {
  /** Position in the model's engagement rules, and of its tally in a LeadAggregate. */
  index: number;
  id: string;
  label: string;
  points: number;
  /** 0 when the rule counts every occurrence. */
  maxCount: number;
  /** The rule gives points once this many occurrences are in (0: from the first). */
  minCount: number;
  /** Infinity when the rule has no points cap. */
  maxPoints: number;
  /** 0 when the rule never decays. */
  halfLifeMs: number;
  milestone: boolean;
  /** null when the rule has no property conditions. */
  where: RecordTest | null;
}

export interface CompiledCriterion {
  minScore?: number;
  minFit?: number;
  minEngagement?: number;
  milestone?: string;
  /** The milestone rule's label, for the stage reason. */
  milestoneLabel?: string;
}

/** A validated model with its predicates, regexes and globs built once, and rules indexed by event name. */
export interface CompiledModel {
  readonly kind: 'compiled-scoring-model';
  readonly model: ScoringModel;
  readonly version: number;
  /** Identifies what a LeadAggregate depends on; see LeadAggregate.fingerprint. */
  readonly fingerprint: string;
  readonly fitMax: number;
  readonly engagementMax: number;
  readonly fitRules: readonly CompiledFitRule[];
  readonly engagementRules: readonly CompiledEngagementRule[];
  readonly rulesByEvent: ReadonlyMap<string, readonly CompiledEngagementRule[]>;
  readonly grades: readonly { grade: Grade; minFit: number }[];
  readonly tiers: readonly { name: string; min: number }[];
  readonly stages: Readonly<Record<Extract<Stage, 'MQL' | 'SQL'>, readonly CompiledCriterion[]>>;
  readonly accounts: CompiledAccountModel;
}

/** Validates a model (throws a ZodError naming every problem) and compiles it. */
export function compileModel(input: ScoringModel): CompiledModel {
  const model = ScoringModel.parse(input);
  const engagementRules = model.engagement.rules.map((r, index): CompiledEngagementRule => ({
    index,
    id: r.id,
    label: r.label,
    points: r.points,
    maxCount: r.maxCount ?? 0,
    minCount: r.minCount ?? 0,
    maxPoints: r.maxPoints ?? Infinity,
    halfLifeMs: (r.halfLifeDays ?? model.halfLifeDays) * DAY_MS,
    milestone: r.milestone === true,
    where: r.where?.length ? allProperties(r.where) : null,
  }));
  return {
    kind: 'compiled-scoring-model',
    model,
    version: model.version,
    fingerprint: aggregateFingerprint(model),
    fitMax: model.fit.max,
    engagementMax: model.engagement.max,
    fitRules: model.fit.rules.map((r) => ({ id: r.id, label: r.label, points: round2(r.points), holds: allAttributes(r.when) })),
    engagementRules,
    rulesByEvent: indexByEvent(model, engagementRules),
    grades: model.grades,
    tiers: model.tiers,
    stages: { MQL: withLabels(model.stages.MQL, engagementRules), SQL: withLabels(model.stages.SQL, engagementRules) },
    accounts: compileAccountModel(model),
  };
}

function indexByEvent(model: ScoringModel, rules: CompiledEngagementRule[]): Map<string, CompiledEngagementRule[]> {
  const byEvent = new Map<string, CompiledEngagementRule[]>();
  model.engagement.rules.forEach((r, i) => {
    for (const name of new Set(typeof r.event === 'string' ? [r.event] : r.event)) {
      const list = byEvent.get(name) ?? [];
      list.push(rules[i]!);
      byEvent.set(name, list);
    }
  });
  return byEvent;
}

function withLabels(criteria: readonly CompiledCriterion[], rules: readonly CompiledEngagementRule[]): CompiledCriterion[] {
  return criteria.map((c) => (c.milestone === undefined ? c : { ...c, milestoneLabel: rules.find((r) => r.id === c.milestone)?.label ?? c.milestone }));
}

/** Only what decides which events a rule counts, how many, and how they decay. */
function aggregateFingerprint(model: ScoringModel): string {
  return fingerprint({
    format: 1,
    rules: model.engagement.rules.map((r) => ({
      id: r.id,
      event: r.event,
      where: r.where ?? [],
      maxCount: r.maxCount ?? 0,
      halfLifeDays: r.halfLifeDays ?? model.halfLifeDays,
    })),
  });
}

const cache = new WeakMap<object, CompiledModel>();

/** Accepts a model or a compiled model; compiles a plain model once per object. */
export function toCompiled(model: ScoringModel | CompiledModel): CompiledModel {
  if ('kind' in model && model.kind === 'compiled-scoring-model') return model;
  let compiled = cache.get(model);
  if (!compiled) {
    compiled = compileModel(model as ScoringModel);
    cache.set(model, compiled);
  }
  return compiled;
}
