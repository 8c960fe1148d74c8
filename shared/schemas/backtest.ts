import { z } from 'zod';
import { ScoringModel } from './model';
import { DecileGroup, ReportGroup, ReportRate, ReportQuery } from './report';

/**
 * POST /api/reports/backtest: how models would have ranked the leads that have an outcome, each
 * lead scored as of its outcome date (its events up to then, its attributes as they were then),
 * never with what came after. See docs/API.md.
 */

/** A model to backtest: the current one, a stored version, or a model given whole. */
export const BacktestModelRef = z.union([z.literal('current'), z.object({ version: z.number().int().min(1) }).strict(), ScoringModel]);
export type BacktestModelRef = z.input<typeof BacktestModelRef>;

export const BacktestRequest = z
  .object({
    model: BacktestModelRef,
    /** A second model to compare with, on the same leads. */
    vs: BacktestModelRef.optional(),
    /** Leads created in this period (as the conversion report's). */
    from: ReportQuery.shape.from,
    to: ReportQuery.shape.to,
  })
  .strict();
export type BacktestRequest = z.input<typeof BacktestRequest>;

const auc = z.number().min(0).max(1).nullable();

export const BacktestModelResult = z.object({
  /** "current", "version 3", or the model's own name. */
  label: z.string(),
  /** The stored version, or null for a model given whole. */
  version: z.number().int().nullable(),
  auc,
  byTier: z.array(ReportGroup),
  byDecile: z.array(DecileGroup),
});
export type BacktestModelResult = z.infer<typeof BacktestModelResult>;

/** Two models on the same leads: AUC difference (second - first) with DeLong's 95% interval, and the tier moves. */
export const ModelComparison = z.object({
  difference: z.number(),
  low: z.number(),
  high: z.number(),
  /** Leads whose tier differs between the two models, and the moves. */
  tierChanges: z.number().int().min(0),
  moves: z.array(z.object({ from: z.string(), to: z.string(), leads: z.number().int().min(1) })),
});
export type ModelComparison = z.infer<typeof ModelComparison>;

export const BacktestReport = z.object({
  period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  /** Leads with an outcome and its date, scored as of that date. */
  leads: z.number().int().min(0),
  overall: ReportRate,
  /** Leads with an outcome but no outcome date (set before dates were kept): left out, since "as of" is unknown. */
  undated: z.number().int().min(0),
  models: z.array(BacktestModelResult).min(1).max(2),
  /** The second model against the first, on the same leads: AUC difference (second - first) with DeLong's 95% interval. */
  comparison: ModelComparison.nullable(),
  /** The rep rating (0-10) as of each outcome, as a model of its own, on the leads that had one. */
  rating: z.object({ leads: z.number().int().min(0), auc }),
  generatedAt: z.iso.datetime(),
});
export type BacktestReport = z.infer<typeof BacktestReport>;
