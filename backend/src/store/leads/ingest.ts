import type { ScorableEvent } from '../../../../shared/index';
import { refreshShadowScore } from '../challenger/shadow-score';
import { eventActor, toScorable, type PreparedEvent } from '../../domain/events';
import type { PersonFacts } from '../../domain/traits';
import { resolveIdentities, type Resolution } from './resolve-visitors';
import { saveLead } from './lead-rows';
import { AccountTouches } from '../accounts/account-touches';
import { LEAD_ROW_COLUMNS, leadFromRow } from '../sql/rows';
import type { Db } from '../sql/schema';
import { applyScore, currentAggregate, rebuiltAggregate } from './score-lead';
import type { EventWriter } from './event-writer';
import { SET_BY_IDENTIFY } from '../../domain/lead-record';
import type { CurrentModel, IngestResult, LeadRecord, Site } from '../store';

const INSERT_CHUNK = 200;

/** What the batches of one ingest transaction share: the workspace's model (read once, when first needed) and the event writer. */
export interface IngestContext {
  model: () => Promise<CurrentModel>;
  writer: EventWriter;
}

/** The whole of an ingest, inside one transaction: identities, events (once each), scores. */
export async function ingestEvents(trx: Db, context: IngestContext, site: Site, events: PreparedEvent[], now: number): Promise<IngestResult> {
  const unique = [...new Map(events.map((e) => [eventKey(eventActor(e), e.messageId), e])).values()];
  const compiled = () => context.model().then((m) => m.compiled);

  const touches = new AccountTouches();
  const resolution = await resolveIdentities(trx, site.workspaceId, unique, now, compiled, touches);
  const inserted = await insertEvents(trx, context.writer, site, unique, resolution, now);

  const fresh = new Map<string, ScorableEvent[]>();
  for (const e of unique) {
    const leadId = inserted.has(eventKey(eventActor(e), e.messageId)) ? resolution.leadOf(e) : null;
    if (leadId) fresh.set(leadId, [...(fresh.get(leadId) ?? []), toScorable(e)]);
  }
  const touched = new Set([...fresh.keys(), ...resolution.rebuild, ...resolution.facts.keys()]);
  if (touched.size > 0) await refreshLeads(trx, await context.model(), [...touched], fresh, resolution, now, touches);
  await touches.rollUp(trx, await compiled(), site.workspaceId, now);
  return { accepted: inserted.size, duplicates: events.length - inserted.size };
}

/** What makes an event unique in its site (the unique index adds the workspace, which the site implies). */
function eventKey(actor: string, messageId: string): string {
  return `${actor}\n${messageId}`;
}

/** Inserts the events not stored before; returns the keys (`eventKey`) of those that were new. */
async function insertEvents(trx: Db, writer: EventWriter, site: Site, events: PreparedEvent[], resolution: Resolution, now: number): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < events.length; i += INSERT_CHUNK) {
    const rows = events.slice(i, i + INSERT_CHUNK).map((e) => ({
      workspace_id: site.workspaceId,
      site_id: site.id,
      message_id: e.messageId,
      type: e.type,
      name: e.name,
      anonymous_id: e.anonymousId,
      user_id: e.userId,
      actor: eventActor(e),
      lead_id: resolution.leadOf(e),
      properties: Object.keys(e.properties).length ? JSON.stringify(e.properties) : null,
      context: e.context ? JSON.stringify(e.context) : null,
      at: e.at,
      received_at: now,
    }));
    for (const row of await writer.insertNew(trx, rows)) inserted.add(eventKey(row.actor, row.message_id));
  }
  return inserted;
}

async function refreshLeads(trx: Db, { compiled, challenger }: CurrentModel, leadIds: string[], fresh: Map<string, ScorableEvent[]>, resolution: Resolution, now: number, touches: AccountTouches) {
  const rows = await trx.selectFrom('leads').select(LEAD_ROW_COLUMNS).where('id', 'in', leadIds).execute();
  for (const row of rows) {
    const before = leadFromRow(row);
    const lead = withFacts(before, resolution.facts.get(before.id), now);
    const agg = resolution.rebuild.has(lead.id)
      ? await rebuiltAggregate(trx, compiled, lead.id, now)
      : await currentAggregate(trx, compiled, lead, fresh.get(lead.id) ?? [], now);
    const { lead: after, result } = applyScore(lead, compiled, agg, now);
    await saveLead(trx, compiled, before, after, result.stageReason, now, { touches });
    if (challenger) await refreshShadowScore(trx, challenger, lead, resolution.rebuild.has(lead.id) ? 'rebuild' : (fresh.get(lead.id) ?? []), now);
  }
}

/** Traits and campaigns fill the name and attributes a lead does not have yet; a rep's tags are never overwritten. */
function withFacts(lead: LeadRecord, facts: PersonFacts | undefined, now: number): LeadRecord {
  if (!facts) return lead;
  const attributes = { ...lead.attributes };
  for (const [key, value] of Object.entries(facts.attributes)) {
    attributes[key] ??= { value, setBy: SET_BY_IDENTIFY, setAt: now };
  }
  return { ...lead, name: lead.name ?? facts.name, attributes, updatedAt: now };
}
