import type { CompiledModel, LeadPatch, NewLead } from '../../../../shared/index';
import { DomainError } from '../../domain/errors';
import { normalizeEmail } from '../../../../shared/email';
import { normalizeLinkedinUrl } from '../../../../shared/linkedin';
import { getLead } from './read-leads';
import { insertLead, leadIdOf, linkIdentity, recordStageChange, saveLead } from './lead-rows';
import type { Db } from '../sql/schema';
import { applyScore, currentAggregate } from './score-lead';
import { recordLeadChanges } from '../webhooks/outbox';
import type { Actor, AttributeValue, Idempotency, LeadRecord, LeadWrite } from '../store';

const IDEMPOTENCY_KEEP_MS = 30 * 86_400_000;

/**
 * Runs `apply` at most once per Idempotency-Key: a repeated key with the same request returns
 * the lead as it is now without applying anything; with a different request it is refused.
 */
export async function applyOnce(trx: Db, workspaceId: string, idempotency: Idempotency | undefined, now: number, apply: () => Promise<LeadRecord | undefined>): Promise<LeadWrite | undefined> {
  if (!idempotency) {
    const lead = await apply();
    return lead && { lead, replayed: false };
  }
  const seen = await trx
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'lead_id'])
    .where('workspace_id', '=', workspaceId)
    .where('key', '=', idempotency.key)
    .executeTakeFirst();
  if (seen) {
    if (seen.request_hash !== idempotency.requestHash) {
      throw new DomainError('unprocessable', 'idempotency_key_reused', 'this Idempotency-Key was already used for a different request');
    }
    const lead = await getLead(trx, workspaceId, seen.lead_id);
    return lead && { lead, replayed: true };
  }
  const lead = await apply();
  if (!lead) return undefined;
  await trx.deleteFrom('idempotency_keys').where('created_at', '<', now - IDEMPOTENCY_KEEP_MS).execute();
  await trx
    .insertInto('idempotency_keys')
    .values({ workspace_id: workspaceId, key: idempotency.key, request_hash: idempotency.requestHash, lead_id: lead.id, created_at: now })
    .execute();
  return { lead, replayed: false };
}

function linkedinOrFail(url: string): string {
  const normalized = normalizeLinkedinUrl(url);
  if (!normalized) throw new DomainError('invalid', 'invalid_linkedin_url', 'linkedinUrl must be a LinkedIn profile URL like https://www.linkedin.com/in/name');
  return normalized;
}

function tagged(values: Record<string, string | number | boolean>, actor: Actor, now: number): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value, setBy: actor.name, setAt: now }]));
}

export async function createLead(trx: Db, compiled: CompiledModel, workspaceId: string, input: NewLead, actor: Actor, now: number): Promise<LeadRecord> {
  const email = input.email ? normalizeEmail(input.email) : null;
  const linkedinUrl = input.linkedinUrl ? linkedinOrFail(input.linkedinUrl) : null;
  const owner = (email && (await leadIdOf(trx, workspaceId, { kind: 'email', value: email }))) || (linkedinUrl && (await leadIdOf(trx, workspaceId, { kind: 'linkedin', value: linkedinUrl })));
  if (owner) throw new DomainError('conflict', 'lead_exists', `lead ${owner} already has this email or LinkedIn URL`);
  const { emailDomainType: _derived, ...attributes } = input.attributes ?? {};
  const fields = { email, linkedinUrl, name: input.name ?? null, attributes: tagged(attributes as Record<string, string | number | boolean>, actor, now) };
  return insertLead(trx, compiled, workspaceId, fields, now, `created by ${actor.name}`);
}

export async function patchLead(trx: Db, compiled: CompiledModel, before: LeadRecord, patch: LeadPatch, actor: Actor, now: number): Promise<LeadRecord> {
  const attributes = { ...before.attributes };
  for (const [key, value] of Object.entries(patch.attributes ?? {})) {
    if (value === null) delete attributes[key];
    else attributes[key] = { value, setBy: actor.name, setAt: now };
  }
  if (patch.rating === null) delete attributes.rating;
  else if (patch.rating !== undefined) attributes.rating = { value: patch.rating, setBy: actor.name, setAt: now };

  const lead: LeadRecord = {
    ...before,
    attributes,
    name: patch.name ?? before.name,
    outcome: patch.outcome === undefined ? before.outcome : patch.outcome,
    // A rep's outcome happened when the rep says so; clearing it clears its date.
    outcomeAt: patch.outcome === undefined ? before.outcomeAt : patch.outcome === null ? null : patch.outcome === before.outcome ? before.outcomeAt : now,
    linkedinUrl: patch.linkedinUrl === undefined ? before.linkedinUrl : await relinkLinkedin(trx, before, patch.linkedinUrl),
    updatedAt: now,
  };
  if (patch.stage && patch.stage !== before.stage) {
    await recordStageChange(trx, lead.id, before.stage, patch.stage, `set by ${actor.name}`, now);
    lead.stage = patch.stage;
  }
  const agg = await currentAggregate(trx, compiled, lead, [], now);
  const { lead: after, result } = applyScore(lead, compiled, agg, now);
  // The rep's stage change is recorded above; the webhook events compare with the lead before the whole edit.
  const saved = await saveLead(trx, compiled, { ...before, stage: lead.stage }, after, result.stageReason, now, { webhookEvents: false });
  await recordLeadChanges(trx, before, saved, now);
  return saved;
}

/** Moves the lead's LinkedIn identity to `url` (or removes it); a URL owned by another lead is a conflict. */
async function relinkLinkedin(trx: Db, lead: LeadRecord, url: string | null): Promise<string | null> {
  const normalized = url === null ? null : linkedinOrFail(url);
  if (normalized === lead.linkedinUrl) return normalized;
  if (normalized) {
    const owner = await leadIdOf(trx, lead.workspaceId, { kind: 'linkedin', value: normalized });
    if (owner) throw new DomainError('conflict', 'linkedin_taken', `lead ${owner} already has this LinkedIn URL`);
  }
  await trx.deleteFrom('identities').where('lead_id', '=', lead.id).where('kind', '=', 'linkedin').execute();
  if (normalized) await linkIdentity(trx, lead.workspaceId, { kind: 'linkedin', value: normalized }, lead.id);
  return normalized;
}
