import type { CompiledModel } from '../../../../shared/index';
import { identityKeysOf, type PreparedEvent } from '../../domain/events';
import { identityId, type IdentityKey } from '../../domain/identity-keys';
import { mergeFacts, personFacts, type PersonFacts } from '../../domain/traits';
import { insertLead, linkIdentity } from './lead-rows';
import type { AccountTouches } from '../accounts/account-touches';
import type { Db } from '../sql/schema';

export interface Resolution {
  /** The lead an event belongs to, or null while its visitor is anonymous. */
  leadOf(e: PreparedEvent): string | null;
  /** Leads whose aggregate must be rebuilt from all their events (created, or given older events). */
  rebuild: Set<string>;
  /** What the batch's calls say about each lead's person (traits, campaign), the first value winning. */
  facts: Map<string, PersonFacts>;
}

/**
 * Ties the batch's ids to leads, inside the ingest transaction: an email names a lead (created
 * when new); an id not seen before joins that lead, bringing its earlier anonymous events.
 * Ingest never merges two leads: anyone with the public site key can send any email, so an id
 * already tied to another lead is not proof that both are one person (merging is a rep's act).
 * A visitor id (a device) follows its latest identification: its later events go to the lead it
 * names now, while its earlier ones stay where they are. Emails and user ids stay with their lead.
 */
export async function resolveIdentities(trx: Db, workspaceId: string, events: PreparedEvent[], now: number, compiled: () => Promise<CompiledModel>, touches: AccountTouches): Promise<Resolution> {
  const keysByEvent = events.map(identityKeysOf);
  const known = await lookupIdentities(trx, workspaceId, keysByEvent.flatMap((k) => [...k.emails, ...k.ids]));
  /** The lead each id first joined in this batch: where its events sent before that belong. */
  const joined = new Map<string, string>();
  const leadByEvent = new Map<PreparedEvent, string>();
  const rebuild = new Set<string>();
  const facts = new Map<string, PersonFacts>();

  for (const [i, e] of events.entries()) {
    const { emails, ids } = keysByEvent[i]!;
    const mapped = (keys: IdentityKey[]) => keys.map((k) => known.get(identityId(k))).find((lead) => lead !== undefined);
    // A new email is a new lead, not another address of the visitor's lead (a device may be shared),
    // unless a user id (the site's own account id) says whose new address it is.
    let target = emails.length ? (mapped(emails) ?? mapped(ids.filter((k) => k.kind === 'user'))) : mapped(ids);
    if (!target) {
      if (emails.length === 0) continue;
      const email = emails[0]!;
      const lead = await insertLead(trx, await compiled(), workspaceId, { email: email.value, name: null, linkedinUrl: null, attributes: {} }, now, 'first identified', touches);
      target = lead.id;
      known.set(identityId(email), target);
      rebuild.add(target);
    }
    leadByEvent.set(e, target);
    for (const key of [...emails, ...ids]) {
      const current = known.get(identityId(key));
      if (current === target) continue;
      if (!current) {
        await linkIdentity(trx, workspaceId, key, target);
        known.set(identityId(key), target);
        joined.set(identityId(key), target);
        if (await adoptAnonymousEvents(trx, workspaceId, key, target)) rebuild.add(target);
      } else if (key.kind === 'visitor') {
        await relinkVisitor(trx, workspaceId, key, target);
        known.set(identityId(key), target);
      }
    }
    const said = personFacts(e);
    if (said) facts.set(target, mergeFacts(facts.get(target), said));
  }

  return {
    // An event sent while its ids were anonymous goes where they first joined, as if stored before.
    leadOf: (e) => leadByEvent.get(e) ?? firstLead(identityKeysOf(e), joined),
    rebuild,
    facts,
  };
}

function firstLead({ emails, ids }: { emails: IdentityKey[]; ids: IdentityKey[] }, leads: Map<string, string>): string | null {
  for (const key of [...emails, ...ids]) {
    const lead = leads.get(identityId(key));
    if (lead) return lead;
  }
  return null;
}

async function lookupIdentities(trx: Db, workspaceId: string, keys: IdentityKey[]): Promise<Map<string, string>> {
  const known = new Map<string, string>();
  const values = [...new Set(keys.map((k) => k.value))];
  const kinds = [...new Set(keys.map((k) => k.kind))];
  for (let i = 0; i < values.length; i += 500) {
    const rows = await trx
      .selectFrom('identities')
      .select(['kind', 'value', 'lead_id'])
      .where('workspace_id', '=', workspaceId)
      .where('kind', 'in', kinds)
      .where('value', 'in', values.slice(i, i + 500))
      .execute();
    for (const row of rows) known.set(`${row.kind}:${row.value}`, row.lead_id);
  }
  return known;
}

/** Points a visitor id at another lead; the events it already sent stay with their lead. */
async function relinkVisitor(trx: Db, workspaceId: string, key: IdentityKey, leadId: string): Promise<void> {
  await trx.updateTable('identities').set({ lead_id: leadId }).where('workspace_id', '=', workspaceId).where('kind', '=', key.kind).where('value', '=', key.value).execute();
}

/** Gives the lead the events this visitor or user id sent while anonymous; true if there were any. */
async function adoptAnonymousEvents(trx: Db, workspaceId: string, key: IdentityKey, leadId: string): Promise<boolean> {
  if (key.kind !== 'visitor' && key.kind !== 'user') return false;
  let unattached = trx.updateTable('events').set({ lead_id: leadId }).where('workspace_id', '=', workspaceId);
  // A visitor's events are found through the unique index's (workspace, actor) prefix: a visitor id is its events' actor.
  unattached = key.kind === 'visitor' ? unattached.where('actor', '=', key.value).where('anonymous_id', '=', key.value) : unattached.where('user_id', '=', key.value);
  const result = await unattached.where('lead_id', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
