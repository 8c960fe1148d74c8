import { z } from 'zod';
import { ScoringModel } from './model';
import { ReportGroup } from './report';

/** POST /api/models/learn and `leadscore learn`: fit a points model from outcomes. See docs/SCORING.md. */
export const LearnRequest = z
  .object({
    /** Share of leads held out for the report (by a seeded hash of the lead id). */
    holdout: z.number().min(0.05).max(0.9).default(0.3),
    /** Instead: leads whose outcome came on or after this day are held out (a split in time). */
    splitDate: z.iso.date().optional(),
    seed: z.number().int().min(0).max(2 ** 31).default(1),
    /** Attribute keys to leave out (a leakage flag names them). */
    exclude: z.array(z.string().min(1).max(100)).max(100).default([]),
  })
  .strict();
export type LearnRequest = z.input<typeof LearnRequest>;

const AucInterval = z.object({ auc: z.number(), low: z.number(), high: z.number() });

export const LearnedModelReport = z.object({
  leads: z.object({ train: z.number().int(), holdout: z.number().int(), won: z.number().int(), lost: z.number().int() }),
  /** The L2 strength chosen on a validation split of the training leads, and the Newton steps of the final fit. */
  lambda: z.number(),
  iterations: z.number().int(),
  features: z.array(z.object({ name: z.string(), kind: z.enum(['categorical', 'numeric', 'engagement']), levels: z.number().int() })),
  /** Features that alone rank the training outcomes almost perfectly: likely filled in after the sale. */
  leakage: z.array(z.object({ feature: z.string(), auc: z.number() })),
  /** Points per unit of log-odds (ln 2 times this doubles the odds). */
  pointsPerLogOdds: z.number(),
  holdout: z.object({
    current: AucInterval.nullable(),
    rating: AucInterval.extend({ leads: z.number().int() }).nullable(),
    points: AucInterval.nullable(),
    regression: AucInterval.nullable(),
    /** AUC the rounding to whole points cost: regression minus points. */
    roundingCost: z.number().nullable(),
    byTier: z.array(ReportGroup),
    calibration: z.array(z.object({ decile: z.number().int(), leads: z.number().int(), predicted: z.number(), actual: z.number() })),
  }),
});
export type LearnedModelReport = z.infer<typeof LearnedModelReport>;

export const LearnResponse = z.object({ model: ScoringModel, report: LearnedModelReport });
export type LearnResponse = z.infer<typeof LearnResponse>;
