import { z } from 'zod';
import { storableText } from './text';

const Scalar = z.union([z.string(), z.number().finite(), z.boolean()]);
const Key = z.string().min(1).max(100);

const validRegex = (pattern: string) => {
  try {
    new RegExp(pattern, 'i');
    return true;
  } catch {
    return false;
  }
};
const Pattern = z.string().min(1).max(500).refine(validRegex, 'not a valid regular expression');

const minNotAboveMax = (p: object) => (p as { min: number }).min <= (p as { max: number }).max;

/**
 * One condition on a value: of a lead attribute (`attr`) in fit rules, of an
 * event property (`prop`, a dotted path) in engagement rules.
 */
const conditions = <K extends 'attr' | 'prop'>(key: K) => {
  const on = { [key]: Key } as { [P in K]: typeof Key };
  return [
    z.object({ ...on, op: z.literal('eq'), value: Scalar }).strict(),
    z.object({ ...on, op: z.literal('in'), values: z.array(Scalar).min(1) }).strict(),
    z.object({ ...on, op: z.literal('between'), min: z.number(), max: z.number() }).strict()
      .refine(minNotAboveMax, { message: 'min must not exceed max', path: ['max'] }),
    z.object({ ...on, op: z.literal('gte'), value: z.number() }).strict(),
    z.object({ ...on, op: z.literal('lte'), value: z.number() }).strict(),
    z.object({ ...on, op: z.literal('matches'), pattern: Pattern }).strict(),
    z.object({ ...on, op: z.literal('exists') }).strict(),
  ] as const;
};

export const AttributePredicate = z.union(conditions('attr'));
export type AttributePredicate = z.infer<typeof AttributePredicate>;

const globProp = z.object({ prop: Key, op: z.literal('glob'), pattern: z.string().min(1).max(500) }).strict();
export const PropertyPredicate = z.union([...conditions('prop'), globProp]);
export type PropertyPredicate = z.infer<typeof PropertyPredicate>;

const RuleId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'ids are lowercase letters, digits and dashes');
const Points = z.number().finite().min(-1000).max(1000);

export const FitRule = z
  .object({
    id: RuleId,
    label: z.string().min(1).max(120),
    /** All predicates must hold; an empty list always holds (a base score, as learned models have). */
    when: z.array(AttributePredicate),
    points: Points,
  })
  .strict();
export type FitRule = z.infer<typeof FitRule>;

export const EngagementRule = z
  .object({
    id: RuleId,
    label: z.string().min(1).max(120),
    /** Event name(s) this rule counts. */
    event: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    /** All property conditions must hold. */
    where: z.array(PropertyPredicate).optional(),
    points: Points,
    /** Points only once the lead has at least this many occurrences (all time): "2+ webinars". */
    minCount: z.number().int().positive().max(1000).optional(),
    /** Count at most this many occurrences (the most recent ones). At most 1000: a lead's aggregate keeps their times. */
    maxCount: z.number().int().positive().max(1000).optional(),
    /** Cap on the rule's absolute points after decay. */
    maxPoints: z.number().positive().optional(),
    /** Overrides the model's half-life; 0 means this rule never decays. */
    halfLifeDays: z.number().min(0).optional(),
    /** A milestone shows on the rep's card and can advance the stage. */
    milestone: z.boolean().optional(),
  })
  .strict();
export type EngagementRule = z.infer<typeof EngagementRule>;

export const Grade = z.enum(['A', 'B', 'C', 'D']);
export type Grade = z.infer<typeof Grade>;
export const Stage = z.enum(['Prospect', 'MQL', 'SQL', 'Customer', 'Disqualified']);
export type Stage = z.infer<typeof Stage>;

/** One way to reach a stage: every threshold given must be met (and the milestone reached, if named). */
export const StageCriterion = z
  .object({
    minScore: z.number().optional(),
    minFit: z.number().optional(),
    minEngagement: z.number().optional(),
    milestone: RuleId.optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'a stage criterion needs at least one condition');

const descending = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1]! > x);

/**
 * The account part of a model: fit rules on the account's attributes, engagement rolled up from
 * its people (the sum of the top people's engagement, and points per engaged person), and tiers.
 */
export const AccountModel = z
  .object({
    fit: z.object({ max: z.number().positive(), rules: z.array(FitRule) }).strict(),
    engagement: z
      .object({
        max: z.number().positive(),
        /** The engagement of this many most engaged people is summed. */
        topPeople: z.number().int().min(0).max(20),
        /** A person counts as engaged at this much engagement or more. */
        engagedMin: z.number().positive(),
        /** Points per engaged person... */
        pointsPerEngaged: z.number().min(0).max(100),
        /** ...up to this many points. */
        maxEngagedPoints: z.number().min(0),
      })
      .strict(),
    /** Tier thresholds on the account's total, highest first. */
    tiers: z.array(z.object({ name: z.string().min(1).max(30), min: z.number() }).strict()).min(1),
  })
  .strict()
  .superRefine((m, ctx) => {
    const ids = m.fit.rules.map((r) => r.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', message: `duplicate rule id "${id}"`, path: ['fit', 'rules'] });
    });
    if (!descending(m.tiers.map((t) => t.min))) ctx.addIssue({ code: 'custom', message: 'tiers must be ordered from highest min to lowest', path: ['tiers'] });
  });
export type AccountModel = z.infer<typeof AccountModel>;

const ModelShape = z
  .object({
    $schema: z.string().optional(),
    version: z.number().int().positive(),
    name: z.string().min(1).max(120),
    halfLifeDays: z.number().positive(),
    fit: z.object({ max: z.number().positive(), rules: z.array(FitRule) }).strict(),
    engagement: z.object({ max: z.number().positive(), rules: z.array(EngagementRule) }).strict(),
    /** Grade thresholds on fit points, best first; below the last is D. */
    grades: z.array(z.object({ grade: Grade, minFit: z.number() }).strict()).min(1),
    /** Tier thresholds on the total, highest first; the last should have min 0. */
    tiers: z.array(z.object({ name: z.string().min(1).max(30), min: z.number() }).strict()).min(1),
    /** A lead reaches a stage when any one of its criteria holds. */
    stages: z.object({ MQL: z.array(StageCriterion).min(1), SQL: z.array(StageCriterion).min(1) }).strict(),
    /**
     * The probability of conversion at a score, 1 / (1 + e^-(intercept + slope x score)), fitted on
     * outcomes (learned models have one); cards show it as "about 1 in 3 leads like this convert".
     */
    calibration: z.object({ intercept: z.number().finite(), slope: z.number().finite() }).strict().optional(),
    /** How accounts (the people of one company) are scored; without it, DEFAULT_ACCOUNT_MODEL. */
    accounts: AccountModel.optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    const ids = new Set<string>();
    const rules = [...m.fit.rules.map((r) => ['fit', r] as const), ...m.engagement.rules.map((r) => ['engagement', r] as const)];
    rules.forEach(([kind, r]) => {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', message: `duplicate rule id "${r.id}"`, path: [kind, 'rules'] });
      ids.add(r.id);
    });
    if (!descending(m.tiers.map((t) => t.min))) ctx.addIssue({ code: 'custom', message: 'tiers must be ordered from highest min to lowest', path: ['tiers'] });
    if (!descending(m.grades.map((g) => g.minFit))) ctx.addIssue({ code: 'custom', message: 'grades must be ordered from highest minFit to lowest', path: ['grades'] });
    const milestones = new Set(m.engagement.rules.filter((r) => r.milestone).map((r) => r.id));
    for (const stage of ['MQL', 'SQL'] as const) {
      m.stages[stage].forEach((c, i) => {
        if (c.milestone && !milestones.has(c.milestone)) {
          ctx.addIssue({ code: 'custom', message: `"${c.milestone}" is not a milestone rule`, path: ['stages', stage, i, 'milestone'] });
        }
      });
    }
  });
export const ScoringModel = storableText(ModelShape);
export type ScoringModel = z.infer<typeof ScoringModel>;
