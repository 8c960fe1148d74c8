import { emptyAggregate, type CompiledModel, type Stage } from '../../../../shared/index';
import { emailDomainType } from '../../../../shared/email-domains';
import { newId } from '../../domain/ids';
import type { IdentityKey } from '../../domain/identity-keys';
import { leadToRow } from '../sql/rows';
import type { Db } from '../sql/schema';
import { recordAttributeChanges } from './attribute-history';
import { applyScore } from './score-lead';
import { recordLeadChanges } from '../webhooks/outbox';
import { SET_BY_SYSTEM, UNSCORED, type AttributeValue, type LeadRecord } from '../../domain/lead-record';

export interface NewLeadFields {
  email: string | null;
  name: string | null;
  linkedinUrl: string | null;
  attributes: Record<string, AttributeValue>;
}

/** The attribute derived from the email (business / free / disposable), or none without an email. */
export function withEmailDomainType(attributes: Record<string, AttributeValue>, email: string | null, now: number): Record<string, AttributeValue> {
  const { emailDomainType: _old, ...rest } = attributes;
  const type = email ? emailDomainType(email) : undefined;
  return type ? { ...rest, emailDomainType: { value: type, setBy: SET_BY_SYSTEM, setAt: now } } : rest;
}

/** A new lead before it is first scored: a Prospect with no engagement, its email's domain type derived. */
export function blankLead(compiled: CompiledModel, id: string, workspaceId: string, fields: NewLeadFields, now: number): LeadRecord {
  return {
    id,
    workspaceId,
    email: fields.email,
    name: fields.name,
    linkedinUrl: fields.linkedinUrl,
    attributes: withEmailDomainType(fields.attributes, fields.email, now),
    outcome: null,
    outcomeAt: null,
    aggregate: emptyAggregate(compiled),
    ...UNSCORED,
    scoredAt: now,
    modelVersion: compiled.version,
    createdAt: now,
    updatedAt: now,
  };
}

/** Inserts a scored lead with its email and LinkedIn identities and its first stage. */
export async function insertLead(trx: Db, compiled: CompiledModel, workspaceId: string, fields: NewLeadFields, now: number, reason: string): Promise<LeadRecord> {
  const blank = blankLead(compiled, newId('ld'), workspaceId, fields, now);
  const { lead, result } = applyScore(blank, compiled, blank.aggregate, now);
  await trx.insertInto('leads').values(leadToRow(lead)).execute();
  await recordAttributeChanges(trx, lead.id, {}, lead.attributes, now);
  if (lead.email) await linkIdentity(trx, workspaceId, { kind: 'email', value: lead.email }, lead.id);
  if (lead.linkedinUrl) await linkIdentity(trx, workspaceId, { kind: 'linkedin', value: lead.linkedinUrl }, lead.id);
  await recordStageChange(trx, lead.id, null, lead.stage, lead.stage === 'Prospect' ? reason : `${reason}; ${result.stageReason}`, now);
  return lead;
}

/**
 * Writes every mutable column of `after`, the attributes' history, a stage change when the stage
 * moved, and the webhook events the change causes (tier, stage, outcome). A rescore passes
 * `webhookEvents: false`: its bulk path cannot see each lead, so a model change is one model.changed event.
 */
export async function saveLead(trx: Db, before: LeadRecord, after: LeadRecord, stageReason: string, now: number, webhookEvents = true): Promise<void> {
  const { id: _id, workspace_id: _ws, created_at: _created, ...columns } = leadToRow(after);
  await trx.updateTable('leads').set(columns).where('id', '=', after.id).execute();
  if (before.attributes !== after.attributes) await recordAttributeChanges(trx, after.id, before.attributes, after.attributes, now);
  if (before.stage !== after.stage) await recordStageChange(trx, after.id, before.stage, after.stage, stageReason, now);
  if (webhookEvents) await recordLeadChanges(trx, before, after, now);
}

export async function recordStageChange(trx: Db, leadId: string, from: Stage | null, to: Stage, reason: string, now: number): Promise<void> {
  await trx.insertInto('stage_changes').values({ lead_id: leadId, from_stage: from, to_stage: to, reason, at: now }).execute();
}

export async function linkIdentity(trx: Db, workspaceId: string, key: IdentityKey, leadId: string): Promise<void> {
  await trx.insertInto('identities').values({ workspace_id: workspaceId, kind: key.kind, value: key.value, lead_id: leadId }).execute();
}

/** The lead that holds this identity, if any. */
export async function leadIdOf(trx: Db, workspaceId: string, key: IdentityKey): Promise<string | undefined> {
  const row = await trx
    .selectFrom('identities')
    .select('lead_id')
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', key.kind)
    .where('value', '=', key.value)
    .executeTakeFirst();
  return row?.lead_id;
}
