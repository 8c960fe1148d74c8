import type { Db } from '../sql/schema';

/** What a report needs of one lead. */
export interface LeadOutcomeRow {
  score: number;
  tier: string;
  grade: string;
  outcome: 'won' | 'lost' | null;
  /** Its account's current tier; null when the lead is in no account. */
  accountTier: string | null;
  /** Attribute values by key (provenance dropped). */
  attributes: Record<string, unknown>;
}

/** Created at or after `from`, before `to` (epoch ms); null: unbounded. */
export interface CreatedPeriod {
  from: number | null;
  to: number | null;
}

/** Leads per read: big enough that 100k leads take a few dozen queries, small enough to hold nothing much. */
export const OUTCOME_PAGE = 2_000;

/**
 * The workspace's leads created in the period, a page at a time in id order (keyset pagination on
 * the (workspace_id, id) index), so a report holds one page in memory whatever the workspace's size.
 * Plain Kysely: the same SQL runs on SQLite and PostgreSQL, with no server-side cursor needed.
 */
export async function* leadOutcomes(db: Db, workspaceId: string, period: CreatedPeriod, pageSize = OUTCOME_PAGE): AsyncGenerator<LeadOutcomeRow[]> {
  let after: string | null = null;
  for (;;) {
    // The account's tier by its primary key, one lookup per lead of the page.
    let query = db
      .selectFrom('leads')
      .leftJoin('accounts', 'accounts.id', 'leads.account_id')
      .select(['leads.id', 'leads.score', 'leads.tier', 'leads.grade', 'leads.outcome', 'leads.attributes', 'accounts.tier as account_tier'])
      .where('leads.workspace_id', '=', workspaceId);
    if (period.from !== null) query = query.where('leads.created_at', '>=', period.from);
    if (period.to !== null) query = query.where('leads.created_at', '<', period.to);
    if (after !== null) query = query.where('leads.id', '>', after);
    const rows = await query.orderBy('leads.id').limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows.map((row) => ({
      score: Number(row.score),
      tier: row.tier,
      grade: row.grade,
      outcome: row.outcome === 'won' || row.outcome === 'lost' ? row.outcome : null,
      accountTier: row.account_tier,
      attributes: attributeValues(row.attributes),
    }));
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

function attributeValues(json: string): Record<string, unknown> {
  const stored = JSON.parse(json) as Record<string, { value: unknown } | undefined>;
  const values: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(stored)) if (entry && typeof entry === 'object') values[key] = entry.value;
  return values;
}
