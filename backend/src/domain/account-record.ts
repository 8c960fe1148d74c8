import type { AccountAttributes, BreakdownLine } from '../../../shared/index';

/** An account as stored: its people's roll-up as of `scoredAt` (see store/accounts/roll-up.ts). */
export interface AccountRecord {
  id: string;
  workspaceId: string;
  key: string;
  domain: string | null;
  name: string | null;
  attributes: AccountAttributes;
  score: number;
  fit: number;
  engagement: number;
  tier: string;
  people: number;
  peopleEngaged: number;
  breakdown: BreakdownLine[];
  scoredAt: number;
  createdAt: number;
}
