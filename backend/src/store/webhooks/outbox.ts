import type { WebhookAccount, WebhookEventType, WebhookLead, WebhookPayload } from '../../../../shared/index';
import type { AccountRecord } from '../../domain/account-record';
import { timeOrderedId } from '../../domain/ids';
import type { LeadRecord } from '../../domain/lead-record';
import type { Db } from '../sql/schema';

/** A delivery's ordering key for events about no lead (model.changed). */
export const WORKSPACE_ORDER_KEY = 'workspace';

/**
 * Writes one event to the outbox, inside the caller's transaction (the change that causes it),
 * so the event commits or rolls back with the change: a crash neither loses nor invents one.
 * Nothing is written when no active endpoint of the workspace subscribes to the type: the
 * lookup is one indexed query, and callers only make it when something worth an event changed,
 * so ingest (whose saves rarely move a tier, stage or outcome) pays nothing for webhooks.
 */
export function recordWebhookEvent(trx: Db, workspaceId: string, leadId: string | null, payload: WebhookPayload, now: number): Promise<void> {
  return recordWebhookEvents(trx, workspaceId, leadId, [payload], now);
}

/** Several events of one change, in order, with one lookup of the endpoints. */
async function recordWebhookEvents(trx: Db, workspaceId: string, leadId: string | null, payloads: WebhookPayload[], now: number): Promise<void> {
  const endpoints = await activeEndpoints(trx, workspaceId);
  for (const payload of payloads) {
    const subscribed = endpoints.filter((e) => e.events.includes(payload.type)).map((e) => e.id);
    if (subscribed.length > 0) await writeMessage(trx, workspaceId, leadId, payload, subscribed, now);
  }
}

async function writeMessage(trx: Db, workspaceId: string, leadId: string | null, payload: WebhookPayload, endpoints: string[], now: number): Promise<void> {
  const messageId = timeOrderedId('msg', now, 24);
  const inserted = await trx
    .insertInto('webhook_messages')
    .values({ message_id: messageId, workspace_id: workspaceId, lead_id: leadId, type: payload.type, payload: JSON.stringify(payload), created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('webhook_deliveries')
    .values(
      endpoints.map((endpointId) => ({
        endpoint_id: endpointId,
        message_seq: Number(inserted.id),
        message_id: messageId,
        order_key: leadId ?? WORKSPACE_ORDER_KEY,
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      })),
    )
    .execute();
}

async function activeEndpoints(trx: Db, workspaceId: string): Promise<{ id: string; events: WebhookEventType[] }[]> {
  const rows = await trx.selectFrom('webhook_endpoints').select(['id', 'events']).where('workspace_id', '=', workspaceId).where('disabled_at', 'is', null).execute();
  return rows.map((row) => ({ id: row.id, events: JSON.parse(row.events) as WebhookEventType[] }));
}

export function webhookLead(lead: LeadRecord): WebhookLead {
  return {
    id: lead.id,
    email: lead.email,
    name: lead.name,
    linkedinUrl: lead.linkedinUrl,
    score: lead.score,
    fit: lead.fit,
    engagement: lead.engagement,
    tier: lead.tier,
    grade: lead.grade,
    stage: lead.stage,
    outcome: lead.outcome,
    modelVersion: lead.modelVersion,
  };
}

export function webhookAccount(account: AccountRecord): WebhookAccount {
  return { id: account.id, name: account.name, domain: account.domain, score: account.score, tier: account.tier, people: account.people, peopleEngaged: account.peopleEngaged };
}

/** The events a save of `before` as `after` causes: tier, stage and outcome changes. */
export async function recordLeadChanges(trx: Db, before: LeadRecord, after: LeadRecord, now: number): Promise<void> {
  if (before.tier === after.tier && before.stage === after.stage && before.outcome === after.outcome) return;
  const timestamp = new Date(now).toISOString();
  const lead = webhookLead(after);
  const payloads: WebhookPayload[] = [];
  if (before.tier !== after.tier) payloads.push({ type: 'lead.tier_changed', timestamp, data: { lead, previous: { tier: before.tier }, current: { tier: after.tier } } });
  if (before.stage !== after.stage) payloads.push({ type: 'lead.stage_changed', timestamp, data: { lead, previous: { stage: before.stage }, current: { stage: after.stage } } });
  if (before.outcome !== after.outcome) payloads.push({ type: 'lead.outcome_recorded', timestamp, data: { lead, previous: { outcome: before.outcome }, current: { outcome: after.outcome } } });
  await recordWebhookEvents(trx, after.workspaceId, after.id, payloads, now);
}

/** A merge moves the merged lead's queued events to the survivor (as its other rows), so an erase of the survivor finds them. */
export async function moveWebhookEvents(trx: Db, fromLeadId: string, intoLeadId: string): Promise<void> {
  await trx.updateTable('webhook_messages').set({ lead_id: intoLeadId }).where('lead_id', '=', fromLeadId).execute();
  await trx.updateTable('webhook_deliveries').set({ order_key: intoLeadId }).where('order_key', '=', fromLeadId).execute();
}

/** GDPR: every payload about the lead goes, delivered or not (their deliveries with them). */
export async function eraseWebhookEvents(trx: Db, leadId: string): Promise<void> {
  const messages = trx.selectFrom('webhook_messages').select('id').where('lead_id', '=', leadId);
  await trx.deleteFrom('webhook_deliveries').where('message_seq', 'in', messages).execute();
  await trx.deleteFrom('webhook_messages').where('lead_id', '=', leadId).execute();
}
