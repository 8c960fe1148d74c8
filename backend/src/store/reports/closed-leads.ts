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
      .select(['id', 'email', 'outcome', 'outcome_at', 'attributes'])
      .where('workspace_id', '=', workspaceId)
      .where('outcome', 'is not', null)
      .where('outcome_at', 'is not', null);
    if (period.from !== null) query = query.where('created_at', '>=', period.from);
    if (period.to !== null) query = query.where('created_at', '<', period.to);
    if (outcomeFrom !== undefined) query = query.where('outcome_at', '>=', outcomeFrom);
    if (after !== null) query = query.where('id', '>', after);
    const rows = await query.orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) return;
    const outcomeAt = new Map(rows.map((r) => [r.id, Number(r.outcome_at)]));
    const [events, attributes] = await Promise.all([eventsUntilOutcome(db, outcomeAt), attributesAtOutcome(db, rows, outcomeAt)]);
    yield rows.map((row) => ({
      id: row.id,
      email: row.email,
      outcome: row.outcome === 'won' ? 'won' : 'lost',
      outcomeAt: outcomeAt.get(row.id)!,
      attributes: attributes.get(row.id) ?? {},
      events: events.get(row.id) ?? [],
    }));
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.id;
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

/**
 * The page's events up to each lead's outcome. The date filter runs here rather than in a join on
 * leads: a join costs a primary-key lookup per event, about half the read time.
 */
async function eventsUntilOutcome(db: Db, outcomeAt: Map<string, number>): Promise<Map<string, ScorableEvent[]>> {
  const rows = await db
    .selectFrom('events')
    .select(['lead_id', 'name', 'properties', 'at'])
    .where('lead_id', 'in', [...outcomeAt.keys()])
    .where('at', '<=', Math.max(...outcomeAt.values()))
    .orderBy('lead_id')
    .orderBy('at')
    .execute();
  const byLead = new Map<string, ScorableEvent[]>();
  for (const row of rows) {
    const at = Number(row.at);
    if (at > outcomeAt.get(row.lead_id!)!) continue;
    const event: ScorableEvent = { event: row.name, properties: row.properties ? (JSON.parse(row.properties) as Record<string, unknown>) : {}, at };
    const list = byLead.get(row.lead_id!);
    if (list) list.push(event);
    else byLead.set(row.lead_id!, [event]);
  }
  return byLead;
}

type StoredAttributes = Record<string, { value: unknown; setAt: number }>;

/**
 * Each lead's attribute values at its outcome. Most leads changed nothing after it: their current
 * attributes, all set by then, are the answer, and one cheap query (history rows dated after the
 * earliest outcome of the page) finds the others, which are rebuilt from their history.
 */
async function attributesAtOutcome(db: Db, rows: { id: string; attributes: string }[], outcomeAt: Map<string, number>): Promise<Map<string, LeadAttributes>> {
  const later = await db
    .selectFrom('attribute_history')
    .select(['lead_id', 'at'])
    .where('lead_id', 'in', [...outcomeAt.keys()])
    .where('at', '>', Math.min(...outcomeAt.values()))
    .execute();
  const changedAfter = new Set(later.filter((h) => Number(h.at) > outcomeAt.get(h.lead_id)!).map((h) => h.lead_id));
  const values = new Map<string, LeadAttributes>();
  for (const row of rows) {
    if (changedAfter.has(row.id)) continue;
    const stored = JSON.parse(row.attributes) as StoredAttributes;
    const entries = Object.entries(stored);
    if (entries.some(([, a]) => a.setAt > outcomeAt.get(row.id)!)) changedAfter.add(row.id);
    else values.set(row.id, Object.fromEntries(entries.map(([key, a]) => [key, a.value])) as LeadAttributes);
  }
  if (changedAfter.size) for (const [id, attributes] of await historyUntilOutcome(db, [...changedAfter])) values.set(id, attributes);
  return values;
}

/** Attribute values as of the outcome, from the history: per key, the last value set at or before it (null: removed). */
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
  const byLead = new Map<string, Record<string, unknown>>(ids.map((id) => [id, {}]));
  for (const row of rows) {
    const values = byLead.get(row.lead_id)!;
    if (row.value === null) delete values[row.key];
    else values[row.key] = JSON.parse(row.value);
  }
  return byLead as Map<string, LeadAttributes>;
}
