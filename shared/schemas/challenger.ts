import { z } from 'zod';
import { Job } from './api';
import { BacktestModelResult, ModelComparison } from './backtest';
import { ScoringModel } from './model';
import { ReportRate } from './report';

/**
 * Champion / challenger (see docs/SCORING.md): a second model scored beside the current one on
 * every lead, never shown on badges, compared on the outcomes that arrive after it started, and
 * promoted when it proves better. See docs/API.md.
 */

/** GET /api/model/challenger (and PUT's 202): the challenger, since when, by whom, and its shadow job. */
export const ChallengerResponse = z.object({
  model: ScoringModel,
  startedAt: z.iso.datetime(),
  createdBy: z.string(),
  /** The job that gives every lead its shadow score (null only if it was never queued). */
  job: Job.nullable(),
});
export type ChallengerResponse = z.infer<typeof ChallengerResponse>;

/**
 * GET /api/reports/challenger: the champion (the current model) and the challenger on the leads
 * whose outcome is dated at or after the challenger started, each lead scored under both as of
 * its outcome date (as a backtest does).
 */
export const ChallengerReport = z.object({
  startedAt: z.iso.datetime(),
  /** Outcomes dated since the start: the leads compared. */
  leads: z.number().int().min(0),
  overall: ReportRate,
  champion: BacktestModelResult,
  challenger: BacktestModelResult,
  /** The challenger against the champion: AUC difference (challenger - champion) with DeLong's 95% interval. */
  comparison: ModelComparison,
  generatedAt: z.iso.datetime(),
});
export type ChallengerReport = z.infer<typeof ChallengerReport>;
