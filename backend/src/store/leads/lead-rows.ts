import { emptyAggregate, type CompiledModel, type Stage } from '../../../../shared/index';
import { emailDomainType } from '../../../../shared/email-domains';
import { newId } from '../../domain/ids';
import type { IdentityKey } from '../../domain/identity-keys';
import { leadToRow } from '../sql/rows';
import type { Db } from '../sql/schema';
import { recordAttributeChanges } from './attribute-history';
import { applyScore } from './score-lead';
import { recordLeadChanges } from '../webhooks/outbox';
import { withAccount } from '../accounts/account-rows';
import { AccountTouches } from '../accounts/account-touches';
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
    accountId: null,
  };
}

/**
 * Inserts a scored lead with its email and LinkedIn identities and its first stage, in its account;
 * `touches` defers the account's roll-up to the caller (once per transaction), else it happens here.
 */
export async function insertLead(trx: Db, compiled: CompiledModel, workspaceId: string, fields: NewLeadFields, now: number, reason: string, touches?: AccountTouches): Promise<LeadRecord> {
  const blank = blankLead(compiled, newId('ld'), workspaceId, fields, now);
  const scored = applyScore(blank, compiled, blank.aggregate, now);
  const { result } = scored;
  const lead = await withAccount(trx, null, scored.lead, now);
  await trx.insertInto('leads').values(leadToRow(lead)).execute();
  await rollUpOrDefer(trx, compiled, touches, null, lead, now);
  await recordAttributeChanges(trx, lead.id, {}, lead.attributes, now);
  if (lead.email) await linkIdentity(trx, workspaceId, { kind: 'email', value: lead.email }, lead.id);
  if (lead.linkedinUrl) await linkIdentity(trx, workspaceId, { kind: 'linkedin', value: lead.linkedinUrl }, lead.id);
  await recordStageChange(trx, lead.id, null, lead.stage, lead.stage === 'Prospect' ? reason : `${reason}; ${result.stageReason}`, now);
  return lead;
}

/**
 * Writes every mutable column of `after` (its account too: see withAccount), the attributes'
 * history, a stage change when the stage moved, the webhook events the change causes (tier,
 * stage, outcome), and rolls up the accounts it left or is in (`touches`: later, by the caller,
 * once per transaction). Returns the lead as saved. `webhookEvents: false` leaves the lead's
 * events to the caller (a rep's edit records its own); `rescore: true` leaves out every event (a
 * model change is one model.changed event) and the roll-up (the rescore rolls up every account at its end).
 */
export async function saveLead(
  trx: Db,
  compiled: CompiledModel,
  before: LeadRecord,
  after: LeadRecord,
  stageReason: string,
  now: number,
  { webhookEvents = true, rescore = false, touches }: { webhookEvents?: boolean; rescore?: boolean; touches?: AccountTouches } = {},
): Promise<LeadRecord> {
  const saved = await withAccount(trx, before, after, now);
  const { id: _id, workspace_id: _ws, created_at: _created, ...columns } = leadToRow(saved);
  await trx.updateTable('leads').set(columns).where('id', '=', saved.id).execute();
  if (before.attributes !== saved.attributes) await recordAttributeChanges(trx, saved.id, before.attributes, saved.attributes, now);
  if (before.stage !== saved.stage) await recordStageChange(trx, saved.id, before.stage, saved.stage, stageReason, now);
  if (webhookEvents && !rescore) await recordLeadChanges(trx, before, saved, now);
  if (!rescore) await rollUpOrDefer(trx, compiled, touches, before, saved, now);
  return saved;
}

/** Adds the save to the caller's touches, or rolls its accounts up at once when the caller has none. */
async function rollUpOrDefer(trx: Db, compiled: CompiledModel, touches: AccountTouches | undefined, before: LeadRecord | null, after: LeadRecord, now: number): Promise<void> {
  if (touches) return touches.add(before, after);
  const own = new AccountTouches();
  own.add(before, after);
  await own.rollUp(trx, compiled, after.workspaceId, now);
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
