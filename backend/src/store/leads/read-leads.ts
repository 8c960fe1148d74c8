import type { IdentityKind } from '../../domain/identity-keys';
import type { LeadAccount } from '../../../../shared/index';
import { eventFromRow, LEAD_ROW_COLUMNS, leadAccountFromRow, leadFromRow, stageChangeFromRow } from '../sql/rows';
import type { Db } from '../sql/schema';
import type { LeadRecord, StageChangeRecord, StoredEvent, TimelineCursor } from '../store';

export interface IdentityLookup {
  /** Per kind asked for: the leads by identity value (as asked, already normalized); values without a lead are absent. */
  leads: Partial<Record<IdentityKind, Map<string, LeadRecord>>>;
  /** The account line of every lead found that is in an account, by account id. */
  accounts: Map<string, LeadAccount>;
}

/**
 * Leads by identity values of several kinds, with their accounts' summary columns, in one
 * statement: a batch lookup is one round trip however many kinds it asks for.
 */
export async function leadsByIdentities(db: Db, workspaceId: string, wanted: Partial<Record<IdentityKind, string[]>>): Promise<IdentityLookup> {
  const asked = Object.entries(wanted).flatMap(([kind, values]) => (values.length ? [[kind, [...new Set(values)]] as const] : []));
  const found: IdentityLookup = { leads: Object.fromEntries(Object.keys(wanted).map((kind) => [kind, new Map()])), accounts: new Map() };
  if (asked.length === 0) return found;
  const rows = await db
    .selectFrom('identities')
    .innerJoin('leads', 'leads.id', 'identities.lead_id')
    .leftJoin('accounts', 'accounts.id', 'leads.account_id')
    .select(LEAD_ROW_COLUMNS.map((column) => `leads.${column}` as const))
    .select(['identities.kind', 'identities.value as identity', 'accounts.name as account_name', 'accounts.domain as account_domain', 'accounts.score as account_score', 'accounts.tier as account_tier', 'accounts.people_engaged as account_people_engaged'])
    .where('identities.workspace_id', '=', workspaceId)
    .where((eb) => eb.or(asked.map(([kind, values]) => eb.and([eb('identities.kind', '=', kind), eb('identities.value', 'in', values)]))))
    .execute();
  for (const row of rows) {
    found.leads[row.kind as IdentityKind]!.set(row.identity, leadFromRow(row));
    // The left join matched (a tier is never null) or it did not: then every account column is null.
    if (row.account_id === null || row.account_tier === null) continue;
    const line = { id: row.account_id, name: row.account_name, domain: row.account_domain, score: row.account_score!, tier: row.account_tier, people_engaged: row.account_people_engaged! };
    found.accounts.set(row.account_id, leadAccountFromRow(line));
  }
  return found;
}

/** Leads by identity value (already normalized), keyed by that value. */
export async function leadsByIdentity(db: Db, workspaceId: string, kind: IdentityKind, values: string[]): Promise<Map<string, LeadRecord>> {
  return (await leadsByIdentities(db, workspaceId, { [kind]: values })).leads[kind]!;
}

export async function getLead(db: Db, workspaceId: string, id: string): Promise<LeadRecord | undefined> {
  const row = await db.selectFrom('leads').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row && leadFromRow(row);
}

export async function timeline(db: Db, workspaceId: string, leadId: string, page: { before?: TimelineCursor; limit: number }): Promise<{ events: StoredEvent[]; next: TimelineCursor | null }> {
  let query = db
    .selectFrom('events')
    .select(['id', 'type', 'name', 'properties', 'at'])
    .where('lead_id', '=', leadId)
    .where('workspace_id', '=', workspaceId);
  const before = page.before;
  if (before) query = query.where((eb) => eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]));
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
  const events = rows.slice(0, page.limit);
  const last = events[events.length - 1];
  return { events: events.map(eventFromRow), next: rows.length > page.limit && last ? { at: Number(last.at), id: Number(last.id) } : null };
}

export async function stageHistory(db: Db, workspaceId: string, leadId: string): Promise<StageChangeRecord[]> {
  const rows = await db
    .selectFrom('stage_changes')
    .innerJoin('leads', 'leads.id', 'stage_changes.lead_id')
    .select(['stage_changes.from_stage', 'stage_changes.to_stage', 'stage_changes.reason', 'stage_changes.at'])
    .where('leads.id', '=', leadId)
    .where('leads.workspace_id', '=', workspaceId)
    .orderBy('stage_changes.at')
    .orderBy('stage_changes.id')
    .execute();
  return rows.map(stageChangeFromRow);
}

export async function leadsByScore(db: Db, workspaceId: string, page: { minScore: number; offset: number; limit: number }): Promise<LeadRecord[]> {
  const rows = await db
    .selectFrom('leads')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('score', '>=', page.minScore)
    .orderBy('score', 'desc')
    .orderBy('id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return rows.map(leadFromRow);
}
