import { sql, type RawBuilder } from 'kysely';
import type { LeadListSort, Outcome, Stage } from '../../../../shared/index';
import type { DialectName } from '../sql/dialect';
import type { Db } from '../sql/schema';

export interface LeadListFilter {
  /** Part of a name, an email or a company, any case. */
  search?: string;
  tier?: string;
  stage?: Stage;
  grade?: string;
  outcome?: Outcome | 'open';
}

/** Where a page starts: after the lead with this sort value and id (both descending). */
export interface LeadListPosition {
  value: number;
  id: string;
}

export interface LeadListRecord {
  id: string;
  email: string | null;
  name: string | null;
  company: string | null;
  score: number;
  tier: string;
  grade: string;
  stage: Stage;
  outcome: Outcome | null;
  updatedAt: number;
}

export interface LeadListPage {
  leads: LeadListRecord[];
  /** The position after the last lead, or null when there is no more. */
  next: LeadListPosition | null;
}

/** The `company` attribute's value as text; JSON is stored as text on both databases. */
function companyOf(dialect: DialectName): RawBuilder<string | null> {
  return dialect === 'sqlite' ? sql`json_extract(attributes, '$.company.value')` : sql`(attributes::jsonb #>> '{company,value}')`;
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards in it taken literally. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

const SORT_COLUMN = { score: 'score', activity: 'updated_at' } as const;

/**
 * One page of a workspace's leads, highest score (or latest activity) first, by keyset: the
 * indexes (workspace_id, score, id) and (workspace_id, updated_at, id) are read in order from the
 * position and the query stops at `limit` matches, so a page costs the same on page 1 and page 2000.
 */
export async function listLeads(
  db: Db,
  dialect: DialectName,
  workspaceId: string,
  filter: LeadListFilter,
  order: { sort: LeadListSort; after?: LeadListPosition },
  limit: number,
): Promise<LeadListPage> {
  const column = SORT_COLUMN[order.sort];
  const company = companyOf(dialect);
  let query = db
    .selectFrom('leads')
    .select(['id', 'email', 'name', 'score', 'tier', 'grade', 'stage', 'outcome', 'updated_at', company.as('company')])
    .where('workspace_id', '=', workspaceId);
  if (filter.tier) query = query.where('tier', '=', filter.tier);
  if (filter.stage) query = query.where('stage', '=', filter.stage);
  if (filter.grade) query = query.where('grade', '=', filter.grade);
  if (filter.outcome === 'open') query = query.where('outcome', 'is', null);
  else if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
  if (filter.search) {
    const pattern = containsPattern(filter.search);
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(name)`, 'like', sql`${pattern} escape '\\'`),
        eb(sql`lower(email)`, 'like', sql`${pattern} escape '\\'`),
        // Parsing the JSON is the costly part of a scan: only for leads whose attributes name a company.
        eb.and([eb('attributes', 'like', '%"company"%'), eb(sql`lower(${company})`, 'like', sql`${pattern} escape '\\'`)]),
      ]),
    );
  }
  const after = order.after;
  if (after) query = query.where(sql<boolean>`(${sql.ref(column)}, id) < (${after.value}, ${after.id})`);
  const rows = await query.orderBy(column, 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const leads = rows.slice(0, limit).map((row) => ({
    id: row.id,
    email: row.email,
    name: row.name,
    company: row.company === null || row.company === undefined ? null : String(row.company),
    score: row.score,
    tier: row.tier,
    grade: row.grade,
    stage: row.stage as Stage,
    outcome: row.outcome as Outcome | null,
    updatedAt: Number(row.updated_at),
  }));
  const last = leads.at(-1);
  const next = rows.length > limit && last ? { value: order.sort === 'score' ? last.score : last.updatedAt, id: last.id } : null;
  return { leads, next };
}
