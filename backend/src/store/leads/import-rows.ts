import type { CompiledModel, Outcome } from '../../../../shared/index';
import { timeOrderedId } from '../../domain/ids';
import type { IdentityKind } from '../../domain/identity-keys';
import type { AttributeValue, LeadRecord } from '../../domain/lead-record';
import { leadFromRow, leadToRow } from '../sql/rows';
import type { Db } from '../sql/schema';
import type { Actor } from '../store';
import { blankLead, withEmailDomainType } from './lead-rows';
import { withAccount } from '../accounts/account-rows';
import { AccountTouches } from '../accounts/account-touches';
import { applyScore, currentAggregate } from './score-lead';
import { attributeChanges } from './attribute-history';
import { recordLeadChanges } from '../webhooks/outbox';
import type { IdentityRow, ImportWriter, LeadRow } from '../import/import-writer';

/** One validated row of an import file, keyed by external id and/or (normalized) email. */
export interface ImportRow {
  /** The row's line in the file, for error reports. */
  line: number;
  externalId: string | null;
  email: string | null;
  name: string | null;
  /** Values to set; attributes the row leaves blank are left as they are. */
  attributes: Record<string, string | number | boolean>;
  /** undefined: the row says nothing about the outcome (no column, or a blank cell): it is left as it is. */
  outcome: Outcome | undefined;
  outcomeAt: number | null;
  createdAt: number | null;
}

/** A row the store refused, and which of its keys contradicts stored data. */
export interface ImportRowRefusal {
  line: number;
  field: 'externalId' | 'email';
  reason: string;
}

export interface ImportBatchResult {
  created: number;
  updated: number;
  refused: ImportRowRefusal[];
}

export interface ExportedLead {
  lead: LeadRecord;
  externalId: string | null;
}

/** Values per IN list: far below SQLite's and PostgreSQL's bound-parameter limits. */
const IN_CHUNK = 500;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What the batch already knows: identities by value, the leads they name, and each lead's external id. */
class BatchIndex {
  readonly byExternal = new Map<string, string>();
  readonly byEmail = new Map<string, string>();
  readonly externalOf = new Map<string, string>();
  readonly leads = new Map<string, LeadRecord>();

  static async load(trx: Db, workspaceId: string, rows: ImportRow[]): Promise<BatchIndex> {
    const index = new BatchIndex();
    const externals = [...new Set(rows.map((r) => r.externalId).filter((v): v is string => v !== null))];
    const emails = [...new Set(rows.map((r) => r.email).filter((v): v is string => v !== null))];
    const leadIds = new Set<string>();
    for (const [kind, values, map] of [['external', externals, index.byExternal], ['email', emails, index.byEmail]] as const) {
      for (const chunk of chunks(values, IN_CHUNK)) {
        const found = await trx.selectFrom('identities').select(['value', 'lead_id']).where('workspace_id', '=', workspaceId).where('kind', '=', kind satisfies IdentityKind).where('value', 'in', chunk).execute();
        for (const row of found) {
          map.set(row.value, row.lead_id);
          leadIds.add(row.lead_id);
        }
      }
    }
    for (const chunk of chunks([...leadIds], IN_CHUNK)) {
      for (const row of await trx.selectFrom('leads').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', chunk).execute()) index.leads.set(row.id, leadFromRow(row));
      const ids = await trx.selectFrom('identities').select(['value', 'lead_id']).where('kind', '=', 'external').where('lead_id', 'in', chunk).execute();
      for (const row of ids) index.externalOf.set(row.lead_id, row.value);
    }
    return index;
  }
}

/** Why `row` cannot be applied to `target` (the lead its keys name), or undefined when it can. */
function contradiction(index: BatchIndex, row: ImportRow, byExternal: string | undefined, byEmail: string | undefined): ImportRowRefusal | undefined {
  if (byExternal && byEmail && byExternal !== byEmail) {
    return { line: row.line, field: 'email', reason: `this email belongs to lead ${byEmail}, but the external id to lead ${byExternal}` };
  }
  const target = byExternal ?? byEmail;
  if (!target) return undefined;
  const storedExternal = index.externalOf.get(target);
  if (row.externalId && storedExternal && storedExternal !== row.externalId) {
    return { line: row.line, field: 'externalId', reason: `the lead with this email (${target}) has the external id "${storedExternal}"` };
  }
  const storedEmail = index.leads.get(target)?.email;
  if (row.email && storedEmail && storedEmail !== row.email) {
    return { line: row.line, field: 'email', reason: `the lead with this external id (${target}) has the email ${storedEmail}` };
  }
  return undefined;
}

/**
 * The row's attributes with their provenance. A value the lead already has keeps its provenance
 * (a re-import changes nothing). A new lead's values are dated when the file says the lead was
 * created (else its outcome date, else now): the file describes a past lead, and a backtest reads
 * attributes as of the outcome. A changed value on a known lead is dated now: it was learned now.
 */
function tagged(values: ImportRow['attributes'], stored: LeadRecord | undefined, row: ImportRow, actor: Actor, now: number): Record<string, AttributeValue> {
  const setAt = stored ? now : (row.createdAt ?? row.outcomeAt ?? now);
  const out: Record<string, AttributeValue> = {};
  for (const key in values) {
    const value = values[key]!;
    const known = stored?.attributes[key];
    out[key] = known && known.value === value ? known : { value, setBy: actor.name, setAt };
  }
  return out;
}

/** The lead as the row says it is: blank fields keep what is stored; the email and external id are only ever added. */
function applyRow(compiled: CompiledModel, workspaceId: string, stored: LeadRecord | undefined, row: ImportRow, actor: Actor, now: number): LeadRecord {
  const attributes = tagged(row.attributes, stored, row, actor, now);
  if (!stored) {
    const blank = blankLead(compiled, timeOrderedId('ld', now), workspaceId, { email: row.email, name: row.name, linkedinUrl: null, attributes }, now);
    return { ...blank, outcome: row.outcome ?? null, outcomeAt: row.outcome ? row.outcomeAt : null, createdAt: row.createdAt ?? now };
  }
  const email = stored.email ?? row.email;
  const outcome = row.outcome === undefined ? stored.outcome : row.outcome;
  return {
    ...stored,
    email,
    name: row.name ?? stored.name,
    attributes: email === stored.email ? { ...stored.attributes, ...attributes } : withEmailDomainType({ ...stored.attributes, ...attributes }, email, now),
    outcome,
    outcomeAt: row.outcome === undefined ? stored.outcomeAt : (row.outcomeAt ?? (outcome === stored.outcome ? stored.outcomeAt : null)),
    createdAt: row.createdAt ?? stored.createdAt,
    updatedAt: now,
  };
}

/**
 * One batch of imported rows inside the caller's transaction. Every check happens before any of
 * the row's writes, so a refused row leaves nothing behind; the batch is written at its end by
 * `writer` (an upsert of the leads, their new identities, stage changes).
 */
export async function importLeads(trx: Db, writer: ImportWriter, compiled: CompiledModel, workspaceId: string, rows: ImportRow[], actor: Actor, now: number): Promise<ImportBatchResult> {
  const index = await BatchIndex.load(trx, workspaceId, rows);
  const created = new Set<string>();
  const before = new Map<string, LeadRecord>();
  const identities: IdentityRow[] = [];
  const refused: ImportRowRefusal[] = [];
  const accountIds = new Map<string, string>();
  for (const row of rows) {
    const byExternal = row.externalId ? index.byExternal.get(row.externalId) : undefined;
    const byEmail = row.email ? index.byEmail.get(row.email) : undefined;
    const problem = contradiction(index, row, byExternal, byEmail);
    if (problem) {
      refused.push(problem);
      continue;
    }
    const stored = index.leads.get((byExternal ?? byEmail)!);
    const lead = applyRow(compiled, workspaceId, stored, row, actor, now);
    if (stored && !before.has(lead.id) && !created.has(lead.id)) before.set(lead.id, stored);
    if (!stored) created.add(lead.id);
    if (row.externalId && !byExternal) {
      identities.push({ workspace_id: workspaceId, kind: 'external', value: row.externalId, lead_id: lead.id });
      index.byExternal.set(row.externalId, lead.id);
      index.externalOf.set(lead.id, row.externalId);
    }
    if (row.email && !byEmail) {
      identities.push({ workspace_id: workspaceId, kind: 'email', value: row.email, lead_id: lead.id });
      index.byEmail.set(row.email, lead.id);
    }
    const agg = await currentAggregate(trx, compiled, lead, [], now);
    index.leads.set(lead.id, await withAccount(trx, stored ?? null, applyScore(lead, compiled, agg, now).lead, now, accountIds));
  }
  const touches = new AccountTouches();
  for (const lead of await writeBatch(writer, index, created, before, identities, actor, now)) touches.add(before.get(lead.id) ?? null, lead);
  await touches.rollUp(trx, compiled, workspaceId, now);
  // Known leads whose tier, stage or outcome the file moved: their webhook events, in the batch's transaction.
  for (const [id, stored] of before) await recordLeadChanges(trx, stored, index.leads.get(id)!, now);
  return { created: created.size, updated: before.size, refused };
}

async function writeBatch(
  writer: ImportWriter,
  index: BatchIndex,
  created: Set<string>,
  before: Map<string, LeadRecord>,
  identities: IdentityRow[],
  actor: Actor,
  now: number,
): Promise<LeadRecord[]> {
  // New leads have no events: one serialized empty aggregate serves them all.
  const empty = [...created].map((id) => index.leads.get(id)!.aggregate)[0];
  const emptyJson = empty && JSON.stringify(empty);
  const written: LeadRecord[] = [];
  const rows: LeadRow[] = [];
  for (const id of [...created, ...before.keys()]) {
    const lead = index.leads.get(id)!;
    const row = leadToRow(lead, created.has(id) ? emptyJson : undefined);
    // A known lead the file leaves as it is is not rewritten (re-importing a file only reads).
    if (!created.has(id) && sameStoredLead(leadToRow(before.get(id)!), row)) continue;
    written.push(lead);
    rows.push(row);
  }
  await writer.upsertLeads(rows);
  await writer.insertIdentities(identities);
  await writer.insertAttributeHistory(written.flatMap((lead) => attributeChanges(lead.id, before.get(lead.id)?.attributes ?? {}, lead.attributes, now)));
  await writer.insertStageChanges(
    written.flatMap((lead) => {
      const from = before.get(lead.id)?.stage ?? null;
      if (from === lead.stage) return [];
      return [{ lead_id: lead.id, from_stage: from, to_stage: lead.stage, reason: from === null ? `imported by ${actor.name}` : `${lead.stage}: set by an import by ${actor.name}`, at: now }];
    }),
  );
  return written;
}

/** True when two rows of a lead differ in nothing but the times of the last write and scoring. */
function sameStoredLead(a: LeadRow, b: LeadRow): boolean {
  for (const key in a) {
    if (key === 'updated_at' || key === 'scored_at') continue;
    if (a[key as keyof LeadRow] !== b[key as keyof LeadRow]) return false;
  }
  return true;
}

/** Every lead of the workspace in id order, `pageSize` at a time (constant memory), with its external id. */
export async function* exportLeads(db: Db, workspaceId: string, pageSize: number): AsyncGenerator<ExportedLead> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('leads').selectAll().where('workspace_id', '=', workspaceId).where('id', '>', after).orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) return;
    const externals = new Map<string, string>();
    const ids = await db.selectFrom('identities').select(['value', 'lead_id']).where('kind', '=', 'external').where('lead_id', 'in', rows.map((r) => r.id)).execute();
    for (const row of ids) externals.set(row.lead_id, row.value);
    for (const row of rows) yield { lead: leadFromRow(row), externalId: externals.get(row.id) ?? null };
    after = rows[rows.length - 1]!.id;
    if (rows.length < pageSize) return;
  }
}
