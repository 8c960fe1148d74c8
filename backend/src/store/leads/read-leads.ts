import type { IdentityKind } from '../../domain/identity-keys';
import { eventFromRow, leadFromRow, stageChangeFromRow } from '../sql/rows';
import type { Db } from '../sql/schema';
import type { LeadRecord, StageChangeRecord, StoredEvent, TimelineCursor } from '../store';

/** Leads by identity value (already normalized), keyed by that value. */
export async function leadsByIdentity(db: Db, workspaceId: string, kind: IdentityKind, values: string[]): Promise<Map<string, LeadRecord>> {
  const found = new Map<string, LeadRecord>();
  if (values.length === 0) return found;
  const rows = await db
    .selectFrom('identities')
    .innerJoin('leads', 'leads.id', 'identities.lead_id')
    .selectAll('leads')
    .select('identities.value as identity')
    .where('identities.workspace_id', '=', workspaceId)
    .where('identities.kind', '=', kind)
    .where('identities.value', 'in', [...new Set(values)])
    .execute();
  for (const { identity, ...row } of rows) found.set(identity, leadFromRow(row));
  return found;
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
