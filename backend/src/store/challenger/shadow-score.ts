import { absorbEvents, isAggregateCurrent, scoreAggregate, type LeadAggregate, type ScorableEvent } from '../../../../shared/index';
import { leadInput, type LeadRecord } from '../../domain/lead-record';
import { leadFromRow } from '../sql/rows';
import { rebuiltAggregate } from '../leads/score-lead';
import type { Db } from '../sql/schema';
import type { ActiveChallenger } from './challengers';

/** What changed for a lead: these new events (none for a rep's edit), or its events as a whole (a merge, a new visitor joining it). */
export type ShadowChange = ScorableEvent[] | 'rebuild';

/**
 * Keeps the challenger's shadow score of a lead just written current, as applyScore does for the
 * champion, inside the same transaction: the new events fold into the shadow aggregate when it is
 * the challenger's, otherwise (not reached by the shadow job yet, or a rebuild) it is rebuilt from
 * every stored event. `lead` is the lead as the champion scored it (attributes, stage, outcome).
 */
export async function refreshShadowScore(trx: Db, challenger: ActiveChallenger, lead: LeadRecord, change: ShadowChange, now: number): Promise<void> {
  const row = await trx.selectFrom('leads').select('shadow_aggregate').where('id', '=', lead.id).executeTakeFirst();
  if (!row) return;
  const stored = row.shadow_aggregate ? (JSON.parse(row.shadow_aggregate) as LeadAggregate) : null;
  const { compiled } = challenger;
  const agg =
    change !== 'rebuild' && stored && isAggregateCurrent(compiled, stored)
      ? change.length
        ? absorbEvents(compiled, stored, change, now)
        : stored
      : await rebuiltAggregate(trx, compiled, lead.id, now);
  await writeShadowScore(trx, challenger, lead, agg, now);
}

/** Scores `lead` under the challenger from `agg` and stores the shadow columns. */
export async function writeShadowScore(trx: Db, challenger: ActiveChallenger, lead: Pick<LeadRecord, 'id' | 'email' | 'attributes' | 'stage' | 'outcome'>, agg: LeadAggregate, now: number): Promise<void> {
  const result = scoreAggregate(challenger.compiled, leadInput(lead), agg, now);
  await trx.updateTable('leads').set({ shadow_score: result.score, shadow_tier: result.tier, shadow_aggregate: JSON.stringify(agg) }).where('id', '=', lead.id).execute();
}

/**
 * After a bulk write that scores leads without going through the write paths above (a CSV
 * import), brings the shadow score of every lead of the workspace written at `now` up to date:
 * imports bring attributes and outcomes, never events.
 */
export async function refreshShadowScoresWrittenAt(trx: Db, challenger: ActiveChallenger, workspaceId: string, now: number): Promise<void> {
  const rows = await trx.selectFrom('leads').selectAll().where('workspace_id', '=', workspaceId).where('updated_at', '=', now).execute();
  for (const row of rows) await refreshShadowScore(trx, challenger, leadFromRow(row), [], now);
}
