import { absorbEvents, emptyAggregate, type CompiledModel, type ScorableEvent } from '../../../../shared/index';
import type { LeadRecord } from '../../domain/lead-record';
import type { SqlDialect } from '../sql/dialect';
import type { Db } from '../sql/schema';
import type { ModelCache } from '../leads/score-lead';
import { writeShadowScore } from './shadow-score';

/** Leads per transaction: small enough that ingest waits little for the workspace's lock. */
export const SHADOW_BATCH = 500;

/**
 * Gives every lead of the workspace that has no shadow score yet its score under the challenger
 * `challengerId`, from its events, a batch per transaction in id order (keyset). The checkpoint is
 * the leads themselves: setting a challenger clears every shadow score, so a lead with one is
 * done, and a run after a crash goes on with the rest. Each batch holds the workspace's write
 * lock and checks the challenger is still `challengerId`, so a batch never writes scores of a
 * challenger replaced or stopped meanwhile ('superseded'), and ingest never interleaves with it.
 */
export async function shadowScoreAll(
  db: Db,
  dialect: SqlDialect,
  models: ModelCache,
  workspaceId: string,
  challengerId: string,
  afterBatch: (scored: number) => Promise<void>,
  now: () => number,
): Promise<'done' | 'superseded'> {
  let after = '';
  for (;;) {
    const batch = await dialect.transaction(db, workspaceId, async (trx) => {
      const { challenger } = await models.current(trx, workspaceId);
      if (challenger?.id !== challengerId) return 'superseded' as const;
      const rows = await trx
        .selectFrom('leads')
        .select(['id', 'email', 'attributes', 'stage', 'outcome'])
        .where('workspace_id', '=', workspaceId)
        .where('shadow_aggregate', 'is', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(SHADOW_BATCH)
        .execute();
      const at = now();
      const events = await scorableEventsByLead(trx, challenger.compiled, rows.map((r) => r.id));
      for (const row of rows) {
        const lead = { id: row.id, email: row.email, attributes: JSON.parse(row.attributes) as LeadRecord['attributes'], stage: row.stage as LeadRecord['stage'], outcome: row.outcome as LeadRecord['outcome'] };
        const agg = absorbEvents(challenger.compiled, emptyAggregate(challenger.compiled), events.get(row.id) ?? [], at);
        await writeShadowScore(trx, challenger, lead, agg, at);
      }
      return { scored: rows.length, last: rows.at(-1)?.id };
    });
    if (batch === 'superseded') return batch;
    if (batch.scored > 0) await afterBatch(batch.scored);
    if (batch.scored < SHADOW_BATCH || batch.last === undefined) return 'done';
    after = batch.last;
  }
}

/** The events of these leads that the model counts, oldest first per lead. */
async function scorableEventsByLead(db: Db, compiled: CompiledModel, leadIds: string[]): Promise<Map<string, ScorableEvent[]>> {
  const names = [...compiled.rulesByEvent.keys()];
  const byLead = new Map<string, ScorableEvent[]>();
  if (names.length === 0 || leadIds.length === 0) return byLead;
  const rows = await db
    .selectFrom('events')
    .select(['lead_id', 'name', 'properties', 'at'])
    .where('lead_id', 'in', leadIds)
    .where('name', 'in', names)
    .orderBy('lead_id')
    .orderBy('at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const event: ScorableEvent = { event: row.name, properties: row.properties ? (JSON.parse(row.properties) as Record<string, unknown>) : {}, at: Number(row.at) };
    const list = byLead.get(row.lead_id!);
    if (list) list.push(event);
    else byLead.set(row.lead_id!, [event]);
  }
  return byLead;
}
