import type { CompiledModel } from '../../../../shared/index';
import { DomainError } from '../../domain/errors';
import { mergeLeadRecords } from '../../domain/merge-rules';
import { recordStageChange, saveLead } from './lead-rows';
import type { Db } from '../sql/schema';
import { moveWebhookEvents, recordWebhookEvent, webhookLead } from '../webhooks/outbox';
import { applyScore, rebuiltAggregate } from './score-lead';
import { rollUpAccounts } from '../accounts/roll-up';
import type { Actor, LeadRecord } from '../store';

/**
 * A rep's merge of lead `from` into lead `into` (the survivor), inside the caller's transaction:
 * events, identities, stage and attribute history and idempotency records move over, the records merge (see
 * mergeLeadRecords), `from` is deleted, and the survivor's history says who merged what.
 */
export async function mergeLeads(trx: Db, compiled: CompiledModel, into: LeadRecord, from: LeadRecord, actor: Actor, now: number): Promise<LeadRecord> {
  if (into.id === from.id) throw new DomainError('invalid', 'merge_into_itself', 'a lead cannot be merged into itself: name another lead as "other"');
  await trx.updateTable('events').set({ lead_id: into.id }).where('lead_id', '=', from.id).execute();
  await trx.updateTable('identities').set({ lead_id: into.id }).where('lead_id', '=', from.id).execute();
  await trx.updateTable('stage_changes').set({ lead_id: into.id }).where('lead_id', '=', from.id).execute();
  await trx.updateTable('attribute_history').set({ lead_id: into.id }).where('lead_id', '=', from.id).execute();
  await trx.updateTable('idempotency_keys').set({ lead_id: into.id }).where('lead_id', '=', from.id).execute();
  await moveWebhookEvents(trx, from.id, into.id);
  await trx.deleteFrom('leads').where('id', '=', from.id).execute();
  const merged = mergeLeadRecords(into, from, now);
  await recordStageChange(trx, into.id, into.stage, merged.stage, `merged with lead ${from.id} by ${actor.name}`, now);
  const { lead: after, result } = applyScore(merged, compiled, await rebuiltAggregate(trx, compiled, into.id, now), now);
  const saved = await saveLead(trx, compiled, merged, after, result.stageReason, now);
  if (from.accountId && from.accountId !== saved.accountId) await rollUpAccounts(trx, compiled, into.workspaceId, [from.accountId], now);
  const mergedEvent = { type: 'lead.merged', timestamp: new Date(now).toISOString(), data: { lead: webhookLead(saved), mergedLeadId: from.id } } as const;
  await recordWebhookEvent(trx, into.workspaceId, into.id, mergedEvent, now);
  return saved;
}
