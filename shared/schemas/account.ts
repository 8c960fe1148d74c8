import { z } from 'zod';
import { BreakdownLine, LeadAccount, LeadSummary } from './lead';

/** An account's attributes: what its fit rules read (typed keys as a lead's, plus the target-account flag). */
export const AccountAttributes = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type AccountAttributes = z.infer<typeof AccountAttributes>;

/** An account as lists show it: the company, its score and tier, and how many of its people are engaged. */
export const AccountSummary = LeadAccount.extend({
  fit: z.number(),
  engagement: z.number(),
  people: z.number().int().min(0),
  targetAccount: z.boolean(),
  /** When a roll-up last changed the account (a person of it scored, joined or left, a target list, or a rescore). */
  scoredAt: z.iso.datetime(),
});
export type AccountSummary = z.infer<typeof AccountSummary>;

/** GET /api/accounts/:id: the summary, every point explained, its attributes and its people, best first. */
export const AccountDetail = AccountSummary.extend({
  attributes: AccountAttributes,
  breakdown: z.array(BreakdownLine),
  members: z.array(LeadSummary),
});
export type AccountDetail = z.infer<typeof AccountDetail>;

export const MAX_TOP_ACCOUNTS = 200;

export const TopAccountsQuery = z
  .object({
    tier: z.string().min(1).max(30).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_TOP_ACCOUNTS).default(50),
  })
  .strict();
export type TopAccountsQuery = z.infer<typeof TopAccountsQuery>;

export const TopAccounts = z.object({ accounts: z.array(AccountSummary) });
export type TopAccounts = z.infer<typeof TopAccounts>;

/** Most rows of one target-account list: it is written in one transaction. */
export const MAX_TARGET_ACCOUNTS = 10_000;
/** Most bytes of a target-account list sent to POST /api/accounts/targets (10,000 rows of a few columns fit easily). */
export const MAX_TARGET_LIST_BYTES = 5 * 1024 * 1024;

/** The answer to a target-account list (CSV): accounts created, updated, and rows refused with why. */
export const TargetImportResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});
export type TargetImportResult = z.infer<typeof TargetImportResult>;
