import { mergeLeadRecords } from '../../domain/merge-rules';
import { saveLead } from './lead-rows';
import { leadFromRow } from '../sql/rows';
import type { Db } from '../sql/schema';
import type { LeadRecord } from '../store';

/**
 * Folds lead `fromId` into lead `intoId` inside the caller's transaction: events, identities,
 * stage history and idempotency records move over, the records merge, `fromId` is deleted.
 * The caller rebuilds the merged lead's aggregate.
 */
export async function mergeLeads(trx: Db, fromId: string, intoId: string, now: number): Promise<LeadRecord> {
  const rows = await trx.selectFrom('leads').selectAll().where('id', 'in', [fromId, intoId]).execute();
  const from = leadFromRow(rows.find((r) => r.id === fromId)!);
  const into = leadFromRow(rows.find((r) => r.id === intoId)!);
  await trx.updateTable('events').set({ lead_id: intoId }).where('lead_id', '=', fromId).execute();
  await trx.updateTable('identities').set({ lead_id: intoId }).where('lead_id', '=', fromId).execute();
  await trx.updateTable('stage_changes').set({ lead_id: intoId }).where('lead_id', '=', fromId).execute();
  await trx.updateTable('idempotency_keys').set({ lead_id: intoId }).where('lead_id', '=', fromId).execute();
  await trx.deleteFrom('leads').where('id', '=', fromId).execute();
  const merged = mergeLeadRecords(into, from, now);
  await saveLead(trx, into, merged, `merged with lead ${fromId}`, now);
  return merged;
}
