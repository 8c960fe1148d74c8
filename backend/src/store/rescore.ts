import type { Insertable, Kysely } from 'kysely';
import { emptyAggregate, isAggregateCurrent, type CompiledModel, type LeadAggregate, type ScorableEvent } from '../../../shared/index';
// The mutating form of absorbEvents, for aggregates made here and shared with no one until done:
// absorbEvents copies the aggregate on every call, which for millions of events is most of the work.
import { absorbInto } from '../../../shared/scoring/aggregate';
import { leadFromRow, leadToRow } from './rows';
import type { SqlDialect } from './dialect';
import type { Database } from './schema';
import { applyScore, scoredEventNames, type ModelCache } from './scoring';
import type { LeadRecord } from './store';

type Db = Kysely<Database>;

const LEADS_PER_TRANSACTION = 1_000;
const ROWS_PER_UPSERT = 100;
const EVENTS_PER_QUERY = 20_000;

/**
 * Rescores every lead of a workspace with its current model.
 *
 * Aggregates still valid for the model (only points, caps, fit rules or thresholds changed) are
 * rescored without reading a single event. Stale ones are rebuilt from one pass over the events
 * in storage order (sequential reads, where reading lead by lead would jump around the table).
 * The pass runs outside any transaction, so ingest keeps flowing; a lead that ingest touches
 * meanwhile is rebuilt by ingest itself with the new model, and the final write, a chunk of
 * leads per transaction on freshly read rows, keeps any aggregate that is already current.
 */
export async function rescoreWorkspace(db: Db, dialect: SqlDialect, models: ModelCache, workspaceId: string, now: number, io: RescoreIO = kyselyRescoreIO(db)): Promise<number> {
  const { compiled } = await models.current(db, workspaceId);
  const stale = await staleLeadIds(db, compiled, workspaceId);
  const rebuilt = stale.size ? await rebuildAggregates(io.eventPage, compiled, stale, now) : new Map<string, LeadAggregate>();
  let total = 0;
  for (let after = ''; ; ) {
    const chunk = await dialect.transaction(db, workspaceId, (trx) => rescoreChunk(trx, io.writeScores, compiled, workspaceId, after, rebuilt, now));
    total += chunk.count;
    if (chunk.count < LEADS_PER_TRANSACTION) return total;
    after = chunk.last;
  }
}

async function staleLeadIds(db: Db, compiled: CompiledModel, workspaceId: string): Promise<Set<string>> {
  const stale = new Set<string>();
  const current = JSON.stringify({ fingerprint: compiled.fingerprint }).slice(1, -1);
  for (let after = ''; ; ) {
    const rows = await db
      .selectFrom('leads')
      .select(['id', 'aggregate'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(10_000)
      .execute();
    // The fingerprint names everything an aggregate depends on; finding it saves parsing 100k aggregates.
    for (const row of rows) if (!row.aggregate.includes(current)) stale.add(row.id);
    if (rows.length < 10_000) return stale;
    after = rows[rows.length - 1]!.id;
  }
}

/** A row of the event pass: id, lead id, name, properties (JSON or null), time. */
export type EventRow = [id: number, leadId: string, name: string, properties: string | null, at: number];

/**
 * Events with a lead, named one of `names`, with ids above `afterId`, in id order; properties
 * only for the names in `withProperties` (null for the others). Keyed on the primary key only,
 * so the database reads the table in order (other workspaces' events are skipped by the
 * caller). A store may read them faster its own way (SqliteStore does).
 */
export type EventPage = (afterId: number, names: string[], withProperties: string[], limit: number) => Promise<EventRow[]>;

/** Writes the score columns (aggregate, stage, score, fit, engagement, tier, grade, scored_at) of leads read in this transaction. */
export type ScoreWriter = (trx: Db, leads: LeadRecord[]) => Promise<void>;

/** The bulk reads and writes of a rescore; a store may bring faster ones for its database. */
export interface RescoreIO {
  eventPage: EventPage;
  writeScores: ScoreWriter;
}

export function kyselyRescoreIO(db: Db): RescoreIO {
  return { eventPage: kyselyEventPage(db), writeScores: upsertScores };
}

function kyselyEventPage(db: Db): EventPage {
  return async (afterId, names, withProperties, limit) => {
    const rows = await db
      .selectFrom('events')
      .select(['id', 'lead_id', 'name', 'at'])
      .select((eb) =>
        (withProperties.length ? eb.case().when('name', 'in', withProperties).then(eb.ref('properties')).end() : eb.val(null)).as('properties'),
      )
      .where('id', '>', afterId)
      .where('lead_id', 'is not', null)
      .where('name', 'in', names)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r): EventRow => [Number(r.id), r.lead_id!, r.name, r.properties, Number(r.at)]);
  };
}

/**
 * New aggregates for `leadIds` from one pass over the events the model counts, in storage order.
 * Each event is absorbed as it is read, into aggregates this function alone holds, so nothing
 * but the aggregates stays in memory. Properties are parsed only for events that a rule with
 * property conditions could count.
 */
async function rebuildAggregates(eventPage: EventPage, compiled: CompiledModel, leadIds: Set<string>, now: number): Promise<Map<string, LeadAggregate>> {
  const aggregates = new Map<string, LeadAggregate>([...leadIds].map((id) => [id, emptyAggregate(compiled)]));
  const names = scoredEventNames(compiled);
  if (names.length === 0) return aggregates;
  const withProperties = names.filter((name) => compiled.rulesByEvent.get(name)!.some((rule) => rule.where !== null));
  const one: ScorableEvent[] = [{ event: '', at: 0 }];
  for (let after = 0; ; ) {
    const rows = await eventPage(after, names, withProperties, EVENTS_PER_QUERY);
    for (const [, leadId, name, properties, at] of rows) {
      const agg = aggregates.get(leadId);
      if (!agg) continue;
      one[0] = { event: name, properties: properties ? (JSON.parse(properties) as Record<string, unknown>) : undefined, at };
      absorbInto(compiled, agg.rules, one, now);
    }
    if (rows.length < EVENTS_PER_QUERY) break;
    after = rows[rows.length - 1]![0];
  }
  return aggregates;
}

async function rescoreChunk(trx: Db, writeScores: ScoreWriter, compiled: CompiledModel, workspaceId: string, after: string, rebuilt: Map<string, LeadAggregate>, now: number) {
  const rows = await trx
    .selectFrom('leads')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '>', after)
    .orderBy('id')
    .limit(LEADS_PER_TRANSACTION)
    .execute();
  const scored: LeadRecord[] = [];
  const stageChanges: Insertable<Database['stage_changes']>[] = [];
  for (const row of rows) {
    const lead = leadFromRow(row);
    const agg = isAggregateCurrent(compiled, lead.aggregate) ? lead.aggregate : (rebuilt.get(lead.id) ?? emptyAggregate(compiled));
    const { lead: rescored, result } = applyScore(lead, compiled, agg, now);
    scored.push(rescored);
    if (rescored.stage !== lead.stage) stageChanges.push({ lead_id: lead.id, from_stage: lead.stage, to_stage: rescored.stage, reason: result.stageReason, at: now });
  }
  await writeScores(trx, scored);
  for (let i = 0; i < stageChanges.length; i += ROWS_PER_UPSERT) {
    await trx.insertInto('stage_changes').values(stageChanges.slice(i, i + ROWS_PER_UPSERT)).execute();
  }
  return { count: rows.length, last: rows[rows.length - 1]?.id ?? after };
}

/**
 * Many rows per statement: an upsert on the primary key that only touches the score columns.
 * Every row was read in this same transaction, so no erased lead comes back.
 */
async function upsertScores(trx: Db, leads: LeadRecord[]): Promise<void> {
  for (let i = 0; i < leads.length; i += ROWS_PER_UPSERT) {
    await trx
      .insertInto('leads')
      .values(leads.slice(i, i + ROWS_PER_UPSERT).map(leadToRow))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          aggregate: eb.ref('excluded.aggregate'),
          stage: eb.ref('excluded.stage'),
          score: eb.ref('excluded.score'),
          fit: eb.ref('excluded.fit'),
          engagement: eb.ref('excluded.engagement'),
          tier: eb.ref('excluded.tier'),
          grade: eb.ref('excluded.grade'),
          scored_at: eb.ref('excluded.scored_at'),
        })),
      )
      .execute();
  }
}
