import type { LeadAccount } from '../../shared/schemas/lead';
import type { ScoringModel } from '../../shared/schemas/model';

/** How many accounts the table asks for: the top of the list is what a rep works from. */
export const TOP_ACCOUNTS = 50;

/**
 * DEFAULT_ACCOUNT_MODEL's tier names, for a model without an account part. Importing the default
 * model would put zod in the console's load; a test keeps this list equal to it.
 */
export const DEFAULT_ACCOUNT_TIERS: readonly string[] = ['Hot', 'Warm', 'Cold'];

/** The account tiers of a model, highest first: its account part's, else the default's. */
export const accountTiers = (model: ScoringModel): readonly string[] => model.accounts?.tiers.map((t) => t.name) ?? DEFAULT_ACCOUNT_TIERS;

/** What to call an account: its name, else its domain. */
export const accountName = (account: Pick<LeadAccount, 'name' | 'domain'>): string => account.name ?? account.domain ?? 'Unnamed account';

/** "4 people engaged", "1 person engaged", "nobody engaged yet". */
export function peopleEngagedText(count: number): string {
  if (count === 0) return 'nobody engaged yet';
  return `${count} ${count === 1 ? 'person' : 'people'} engaged`;
}

/** GET /api/accounts/top for a tier filter ('' for every tier). */
export function topAccountsUrl(tier: string): string {
  const query = new URLSearchParams(tier ? { tier, limit: String(TOP_ACCOUNTS) } : { limit: String(TOP_ACCOUNTS) });
  return `/api/accounts/top?${query}`;
}
