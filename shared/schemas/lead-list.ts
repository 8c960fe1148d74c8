import { z } from 'zod';
import { Outcome } from './lead';
import { Grade, Stage } from './model';
import { storableText } from './text';

/** Rows per page of GET /api/leads/list at most. */
export const MAX_LEAD_LIST_PAGE = 100;

export const LeadListSort = z.enum(['score', 'activity']);
export type LeadListSort = z.infer<typeof LeadListSort>;

/** GET /api/leads/list: a search, filters, an order and where the page starts. */
export const LeadListQuery = storableText(
  z
    .object({
      /** Part of a name, an email or a company (the `company` attribute), any case. */
      q: z.string().trim().max(200).optional(),
      tier: z.string().min(1).max(30).optional(),
      stage: Stage.optional(),
      grade: Grade.optional(),
      /** won, lost, or open (no outcome yet). */
      outcome: z.enum([...Outcome.options, 'open']).optional(),
      sort: LeadListSort.default('score'),
      cursor: z.string().min(1).max(300).optional(),
      limit: z.coerce.number().int().min(1).max(MAX_LEAD_LIST_PAGE).default(50),
    })
    .strict(),
);
export type LeadListQuery = z.infer<typeof LeadListQuery>;

/**
 * One row of the leads table: the score, tier, grade and stage stored at the lead's last change
 * (what the list is sorted and filtered by); the lead's own page shows it scored now.
 */
export const LeadListRow = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  company: z.string().nullable(),
  score: z.number(),
  tier: z.string(),
  grade: z.string(),
  stage: Stage,
  outcome: Outcome.nullable(),
  /** The last event or edit that changed the lead. */
  lastActivityAt: z.iso.datetime(),
});
export type LeadListRow = z.infer<typeof LeadListRow>;

export const LeadListResponse = z.object({
  leads: z.array(LeadListRow),
  /** Pass as `cursor` (with the same filters and sort) for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type LeadListResponse = z.infer<typeof LeadListResponse>;
