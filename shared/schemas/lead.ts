import { z } from 'zod';
import { EMAIL_PATTERN, MAX_EMAIL_LENGTH } from '../email';
import { LeadAttributes } from './attributes';
import { Grade, Stage } from './model';
import { storableText } from './text';

export const Outcome = z.enum(['won', 'lost']);
export type Outcome = z.infer<typeof Outcome>;

export const Milestone = z.object({ ruleId: z.string(), label: z.string(), at: z.iso.datetime() });
export type Milestone = z.infer<typeof Milestone>;

export const BreakdownLine = z.object({
  ruleId: z.string(),
  kind: z.enum(['fit', 'engagement']),
  label: z.string(),
  count: z.number().int(),
  /** Points after decay and per-rule caps, before category caps and clamping. */
  points: z.number(),
});
export type BreakdownLine = z.infer<typeof BreakdownLine>;

/** The account line on a lead's card: "Acme Robotics · Hot account · 4 people engaged". */
export const LeadAccount = z.object({
  id: z.string(),
  /** The company's name: from the target-account list, else the first `company` one of its people gave. */
  name: z.string().nullable(),
  /** The registrable domain its people's addresses are at; null for an account known only by name. */
  domain: z.string().nullable(),
  score: z.number().min(0).max(100),
  tier: z.string(),
  peopleEngaged: z.number().int().min(0),
});
export type LeadAccount = z.infer<typeof LeadAccount>;

/** What a rep sees in a badge and card; what batch lookups return. */
export const LeadSummary = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  linkedinUrl: z.string().nullable(),
  score: z.number().min(0).max(100),
  fit: z.number(),
  engagement: z.number(),
  grade: Grade,
  tier: z.string(),
  stage: Stage,
  /** The most recent milestones, newest first (at most 5). */
  milestones: z.array(Milestone).max(5),
  /** The largest contributions to the score, by absolute points (at most 5). */
  reasons: z.array(z.object({ label: z.string(), points: z.number() })).max(5),
  scoredAt: z.iso.datetime(),
  /**
   * The model version the score (and tier, grade, stage) is from. While a model change is being
   * rolled out, a lead not yet rescored shows its stored score from the older version it names.
   */
  modelVersion: z.number().int(),
  /** The chance a lead with this score converts, when the model is calibrated on outcomes (learned models are). */
  probability: z.number().min(0).max(1).nullable().optional(),
  /** The lead's account, when it belongs to one (a business email domain or a company it gave). */
  account: LeadAccount.nullable().optional(),
});
export type LeadSummary = z.infer<typeof LeadSummary>;

export const AttributeProvenance = z.object({
  key: z.string(),
  value: z.union([z.string(), z.number(), z.boolean()]),
  setBy: z.string(),
  setAt: z.iso.datetime(),
});

export const StageChange = z.object({ from: Stage.nullable(), to: Stage, at: z.iso.datetime(), reason: z.string() });

export const TimelineEvent = z.object({
  id: z.string(),
  type: z.string(),
  event: z.string(),
  properties: z.record(z.string(), z.unknown()),
  at: z.iso.datetime(),
});

export const LeadDetail = LeadSummary.extend({
  attributes: z.array(AttributeProvenance),
  breakdown: z.array(BreakdownLine),
  stageHistory: z.array(StageChange),
  outcome: Outcome.nullable(),
  timeline: z.object({ events: z.array(TimelineEvent), nextCursor: z.string().nullable() }),
});
export type LeadDetail = z.infer<typeof LeadDetail>;

/** A rep's edit. `null` clears an attribute or the outcome. */
export const LeadPatch = storableText(
  z
    .object({
      attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
      stage: Stage.optional(),
      rating: z.number().int().min(0).max(10).nullable().optional(),
      outcome: Outcome.nullable().optional(),
      name: z.string().trim().min(1).max(200).optional(),
      linkedinUrl: z.string().url().max(500).nullable().optional(),
    })
    .strict()
    .refine((p) => Object.keys(p).length > 0, 'the patch is empty')
    .superRefine((p, ctx) => {
      if (!p.attributes) return;
      const set = Object.fromEntries(Object.entries(p.attributes).filter(([, v]) => v !== null));
      const parsed = LeadAttributes.safeParse(set);
      if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ['attributes', ...issue.path] } as never);
      if ('emailDomainType' in p.attributes) ctx.addIssue({ code: 'custom', message: 'emailDomainType is derived from the email', path: ['attributes', 'emailDomainType'] });
    }),
);
export type LeadPatch = z.infer<typeof LeadPatch>;

export const NewLead = storableText(
  z
    .object({
      email: z.email({ pattern: EMAIL_PATTERN }).max(MAX_EMAIL_LENGTH).optional(),
      name: z.string().trim().min(1).max(200).optional(),
      linkedinUrl: z.string().url().max(500).optional(),
      attributes: LeadAttributes.optional(),
    })
    .strict()
    .refine((l) => l.email || l.linkedinUrl, 'a lead needs an email or a LinkedIn URL'),
);
export type NewLead = z.infer<typeof NewLead>;

/** POST /api/leads/:id/merge: the lead to merge into :id (the survivor). */
export const LeadMerge = storableText(z.object({ other: z.string().min(1).max(100) }).strict());
export type LeadMerge = z.infer<typeof LeadMerge>;
