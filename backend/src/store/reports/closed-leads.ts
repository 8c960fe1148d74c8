import type { LeadAttributes, ScorableEvent } from '../../../../shared/index';
import type { Db } from '../sql/schema';
import type { CreatedPeriod } from './lead-outcomes';

/** A lead with an outcome, as it stood at its outcome date. */
export interface ClosedLead {
  id: string;
  email: string | null;
  outcome: 'won' | 'lost';
  outcomeAt: number;
  /** The attribute values it had at `outcomeAt`, read from the attribute history. */
  attributes: LeadAttributes;
  /** Its events up to `outcomeAt`, oldest first. */
  events: ScorableEvent[];
}

/** Leads per page: three queries each, whatever the workspace's size. */
export const CLOSED_PAGE = 1_000;

/**
 * The leads created in the period that have an outcome and its date (at or after `outcomeFrom`
 * when given: the challenger report's outcomes since the challenger started), a page at a time in id order,
 * each with only what was known at its outcome date: events dated after it and attribute values
 * set after it are never read, so a backtest cannot learn from the future (no leakage).
 */
export async function* closedLeadsAsOf(db: Db, workspaceId: string, period: CreatedPeriod, outcomeFrom?: number, pageSize = CLOSED_PAGE): AsyncGenerator<ClosedLead[]> {
  let after: string | null = null;
  for (;;) {
    let query = db
      .selectFrom('leads')
      .select(['id', 'email', 'outcome', 'outcome_at'])
      .where('workspace_id', '=', workspaceId)
      .where('outcome', 'is not', null)
      .where('outcome_at', 'is not', null);
    if (period.from !== null) query = query.where('created_at', '>=', period.from);
    if (period.to !== null) query = query.where('created_at', '<', period.to);
    if (outcomeFrom !== undefined) query = query.where('outcome_at', '>=', outcomeFrom);
    if (after !== null) query = query.where('id', '>', after);
    const rows = await query.orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    const [events, history] = await Promise.all([eventsUntilOutcome(db, ids), historyUntilOutcome(db, ids)]);
    yield rows.map((row) => ({
      id: row.id,
      email: row.email,
      outcome: row.outcome === 'won' ? 'won' : 'lost',
      outcomeAt: Number(row.outcome_at),
      attributes: history.get(row.id) ?? {},
      events: events.get(row.id) ?? [],
    }));
    if (rows.length < pageSize) return;
    after = ids.at(-1)!;
  }
}

/** Leads of the period with an outcome but no outcome date: a backtest cannot place them in time. */
export async function countUndated(db: Db, workspaceId: string, period: CreatedPeriod): Promise<number> {
  let query = db
    .selectFrom('leads')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('outcome', 'is not', null)
    .where('outcome_at', 'is', null);
  if (period.from !== null) query = query.where('created_at', '>=', period.from);
  if (period.to !== null) query = query.where('created_at', '<', period.to);
  return Number((await query.executeTakeFirst())?.n ?? 0);
}

async function eventsUntilOutcome(db: Db, ids: string[]): Promise<Map<string, ScorableEvent[]>> {
  const rows = await db
    .selectFrom('events')
    .innerJoin('leads', 'leads.id', 'events.lead_id')
    .select(['events.lead_id', 'events.name', 'events.properties', 'events.at'])
    .where('events.lead_id', 'in', ids)
    .whereRef('events.at', '<=', 'leads.outcome_at')
    .orderBy('events.lead_id')
    .orderBy('events.at')
    .execute();
  const byLead = new Map<string, ScorableEvent[]>();
  for (const row of rows) {
    const event: ScorableEvent = { event: row.name, properties: row.properties ? (JSON.parse(row.properties) as Record<string, unknown>) : {}, at: Number(row.at) };
    const list = byLead.get(row.lead_id!);
    if (list) list.push(event);
    else byLead.set(row.lead_id!, [event]);
  }
  return byLead;
}

/** Each lead's attribute values as of its outcome: per key, the last value set at or before it (null: removed). */
async function historyUntilOutcome(db: Db, ids: string[]): Promise<Map<string, LeadAttributes>> {
  const rows = await db
    .selectFrom('attribute_history')
    .innerJoin('leads', 'leads.id', 'attribute_history.lead_id')
    .select(['attribute_history.lead_id', 'attribute_history.key', 'attribute_history.value'])
    .where('attribute_history.lead_id', 'in', ids)
    .whereRef('attribute_history.at', '<=', 'leads.outcome_at')
    .orderBy('attribute_history.lead_id')
    .orderBy('attribute_history.at')
    .orderBy('attribute_history.id')
    .execute();
  const byLead = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    let values = byLead.get(row.lead_id);
    if (!values) byLead.set(row.lead_id, (values = {}));
    if (row.value === null) delete values[row.key];
    else values[row.key] = JSON.parse(row.value);
  }
  return byLead as Map<string, LeadAttributes>;
}
