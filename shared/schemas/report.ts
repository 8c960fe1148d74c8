import { z } from 'zod';
import { CUSTOM_KEY } from './attributes';

/**
 * GET /api/reports/conversion: how leads created in a period converted. Rates count closed leads
 * only (won or lost); open leads (no outcome yet) are counted beside them, never in a denominator.
 * Every rate carries its n and a 95% Wilson interval (see shared/evidence).
 */

/** Most attribute keys one report breaks down by (besides tier, grade, decile and source). */
export const MAX_REPORT_ATTRIBUTES = 10;
/** Most distinct values one breakdown lists; the rest are summed under OTHER_VALUE. */
export const MAX_REPORT_GROUPS = 100;
/** The group of leads without the attribute. */
export const NONE_VALUE = '(none)';
/** The group of leads in no account (free-mail addresses, no company given) in the breakdown by account tier. */
export const NO_ACCOUNT_VALUE = '(no account)';
/** The group of values beyond the first MAX_REPORT_GROUPS seen. */
export const OTHER_VALUE = '(other)';

const fraction = z.number().min(0).max(1);

export const ReportRate = z.object({
  won: z.number().int().min(0),
  lost: z.number().int().min(0),
  /** Closed leads: won + lost. */
  n: z.number().int().min(0),
  rate: fraction.nullable(),
  /** 95% Wilson interval of the rate. */
  low: fraction.nullable(),
  high: fraction.nullable(),
});
export type ReportRate = z.infer<typeof ReportRate>;

export const ReportGroup = ReportRate.extend({
  value: z.string(),
  /** Leads of the group with no outcome yet. */
  open: z.number().int().min(0),
  /** The group's rate over the base rate (all closed leads of the period); null when either is unknown. */
  lift: z.number().min(0).nullable(),
});
export type ReportGroup = z.infer<typeof ReportGroup>;

export const DecileGroup = ReportGroup.extend({
  /** 1 holds the highest scores. Leads with equal scores share a decile. */
  decile: z.number().int().min(1).max(10),
  minScore: z.number(),
  maxScore: z.number(),
});
export type DecileGroup = z.infer<typeof DecileGroup>;

export const ConversionReport = z.object({
  /** Leads created at or after `from` and before `to` (ISO times; null: unbounded). */
  period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  leads: z.number().int().min(0),
  open: z.number().int().min(0),
  /** The base rate: every closed lead of the period. */
  overall: ReportRate,
  /** The stored score's AUC against outcomes (Mann-Whitney, ties half); null without both won and lost leads. */
  auc: z.number().min(0).max(1).nullable(),
  byTier: z.array(ReportGroup),
  /** Leads by their account's current tier (the model's account tiers, highest first), then NO_ACCOUNT_VALUE. */
  byAccountTier: z.array(ReportGroup),
  byGrade: z.array(ReportGroup),
  byDecile: z.array(DecileGroup),
  bySource: z.array(ReportGroup),
  /** One breakdown per attribute asked for (`attribute=` in the query), keyed by attribute. */
  byAttribute: z.record(z.string(), z.array(ReportGroup)),
  generatedAt: z.iso.datetime(),
});
export type ConversionReport = z.infer<typeof ConversionReport>;

/** A day (2025-01-31) or an ISO time with its offset. */
const ReportTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/**
 * The query of a conversion report, as the route and the CLI read it. `from` is inclusive; `to` is
 * exclusive, except that a bare day means the whole of that day (to=2025-03-31 includes March 31).
 */
export const ReportQuery = z
  .object({
    from: ReportTime.optional(),
    to: ReportTime.optional(),
    attribute: z.array(z.string().regex(CUSTOM_KEY, 'an attribute key: a letter, then letters, digits, _ - or .')).max(MAX_REPORT_ATTRIBUTES).default([]),
  })
  .strict();
export type ReportQuery = z.input<typeof ReportQuery>;
