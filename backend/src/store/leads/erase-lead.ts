import type { CompiledModel } from '../../../../shared/index';
import { rollUpAccounts } from '../accounts/roll-up';
import type { Db } from '../sql/schema';
import type { EraseResult } from '../store';
import { eraseWebhookEvents, recordWebhookEvent } from '../webhooks/outbox';

/**
 * GDPR erasure inside the caller's transaction: the lead, its events and those its ids sent
 * still unattached, its identities, stage history and idempotency records, and its share of its account. Events its visitor
 * ids sent while they were another lead's (a shared computer) are that lead's and stay.
 */
export async function eraseLead(trx: Db, compiled: CompiledModel, workspaceId: string, id: string, now: number): Promise<EraseResult | undefined> {
  const lead = await trx.selectFrom('leads').select(['id', 'account_id']).where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!lead) return undefined;
  const identities = await trx.selectFrom('identities').select(['kind', 'value']).where('lead_id', '=', id).execute();
  const idsOf = (kind: string) => identities.filter((i) => i.kind === kind).map((i) => i.value);
  const visitors = idsOf('visitor');
  const users = [...idsOf('user'), ...idsOf('email')];

  let events = Number((await trx.deleteFrom('events').where('lead_id', '=', id).executeTakeFirst()).numDeletedRows);
  for (let i = 0; i < visitors.length; i += 500) {
    const chunk = visitors.slice(i, i + 500);
    // Through the unique index's (workspace, actor) prefix: a visitor id is its events' actor.
    const result = await trx.deleteFrom('events').where('workspace_id', '=', workspaceId).where('actor', 'in', chunk).where('anonymous_id', 'in', chunk).where('lead_id', 'is', null).executeTakeFirst();
    events += Number(result.numDeletedRows);
  }
  for (let i = 0; i < users.length; i += 500) {
    const result = await trx.deleteFrom('events').where('workspace_id', '=', workspaceId).where('user_id', 'in', users.slice(i, i + 500)).where('lead_id', 'is', null).executeTakeFirst();
    events += Number(result.numDeletedRows);
  }
  await trx.deleteFrom('identities').where('lead_id', '=', id).execute();
  await trx.deleteFrom('stage_changes').where('lead_id', '=', id).execute();
  await trx.deleteFrom('attribute_history').where('lead_id', '=', id).execute();
  await trx.deleteFrom('idempotency_keys').where('lead_id', '=', id).execute();
  await trx.deleteFrom('leads').where('id', '=', id).execute();
  // Its account's numbers no longer count it; an account it alone made is deleted with it.
  if (lead.account_id) await rollUpAccounts(trx, compiled, workspaceId, [lead.account_id], now);
  // Every queued or delivered payload about the lead goes; the erasure itself is announced by id only.
  await eraseWebhookEvents(trx, id);
  await recordWebhookEvent(trx, workspaceId, id, { type: 'lead.erased', timestamp: new Date(now).toISOString(), data: { leadId: id } }, now);
  return { events, identities: identities.length };
}
