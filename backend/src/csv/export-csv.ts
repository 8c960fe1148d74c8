import { stringify } from 'csv-stringify/sync';
import { COMPUTED_COLUMN_PREFIX, topReasons, type CompiledModel } from '../../../shared/index';
import { DomainError } from '../domain/errors';
import { scoreNow } from '../leads/present';
import type { ExportedLead, Store } from '../store/store';
import { guardFormula } from './formula-guard';

/** Leads per page read from the store and per chunk of CSV text produced. */
const PAGE = 1_000;
const REASONS = 5;

/**
 * The lead columns, named so that `import` reads an export back: pass --id-column external_id
 * --email-column email --name-column name --outcome-column outcome --outcome-date-column
 * outcome_at --created-column created_at. Columns leadscore computes start with "leadscore." and
 * import ignores them. Every attribute follows, under its key (emailDomainType is derived: left out).
 */
export const EXPORT_IMPORT_OPTIONS = {
  idColumn: 'external_id',
  emailColumn: 'email',
  nameColumn: 'name',
  outcomeColumn: 'outcome',
  outcomeDateColumn: 'outcome_at',
  createdColumn: 'created_at',
} as const;
const COMPUTED = ['id', 'score', 'tier', 'grade', 'stage', 'fit', 'engagement', 'reasons'].map((c) => `${COMPUTED_COLUMN_PREFIX}${c}`);
const LEAD_COLUMNS = ['external_id', 'email', 'name', 'outcome', 'outcome_at', 'created_at'];
const DERIVED = new Set(['emailDomainType']);

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
const text = (value: string | null) => (value === null ? '' : guardFormula(value));

function cell(value: string | number | boolean | undefined): string | number {
  if (value === undefined) return '';
  if (typeof value === 'string') return guardFormula(value);
  return typeof value === 'boolean' ? String(value) : value;
}

function row({ lead, externalId }: ExportedLead, compiled: CompiledModel, now: number, attributeKeys: string[]): { tier: string; cells: (string | number)[] } {
  const result = scoreNow(lead, compiled, now);
  const tier = result?.tier ?? lead.tier;
  const reasons = result ? topReasons(result.breakdown, REASONS).map((r) => `${r.label} (${r.points > 0 ? '+' : ''}${Math.round(r.points * 10) / 10})`) : [];
  const cells = [
    lead.id,
    result?.score ?? lead.score,
    text(tier),
    result?.grade ?? lead.grade,
    result?.stage ?? lead.stage,
    result?.fit ?? lead.fit,
    result?.engagement ?? lead.engagement,
    text(reasons.join('; ')),
    text(externalId),
    text(lead.email),
    text(lead.name),
    lead.outcome ?? '',
    iso(lead.outcome ? lead.outcomeAt : null),
    iso(lead.createdAt),
    ...attributeKeys.map((key) => cell(lead.attributes[key]?.value)),
  ];
  return { tier, cells };
}

/**
 * The workspace's leads as CSV text, a chunk per page (with its row count), header first: one row per lead with its
 * score, tier, grade and stage as of `now`, its outcome, attributes and top reasons. Two passes
 * over the leads (the first finds every attribute key), each a page at a time: memory stays flat.
 * `tiers` keeps only leads in those tiers (an unknown tier is refused).
 */
export async function* exportCsv(store: Store, workspaceId: string, options: { tiers?: string[] }, now: number): AsyncGenerator<{ text: string; rows: number }> {
  const { model, compiled } = await store.currentModel(workspaceId);
  const tiers = options.tiers?.length ? new Set(options.tiers) : undefined;
  const unknown = [...(tiers ?? [])].filter((t) => !model.tiers.some((m) => m.name === t));
  if (unknown.length) throw new DomainError('invalid', 'unknown_tier', `no tier ${unknown.join(', ')}; the model's tiers are ${model.tiers.map((t) => t.name).join(', ')}`);
  const keys = new Set<string>();
  for await (const { lead } of store.exportLeads(workspaceId, PAGE)) for (const key in lead.attributes) if (!DERIVED.has(key)) keys.add(key);
  const attributeKeys = [...keys].sort();
  yield { text: stringify([[...COMPUTED, ...LEAD_COLUMNS, ...attributeKeys]]), rows: 0 };
  let page: (string | number)[][] = [];
  for await (const exported of store.exportLeads(workspaceId, PAGE)) {
    const { tier, cells } = row(exported, compiled, now, attributeKeys);
    if (!tiers || tiers.has(tier)) page.push(cells);
    if (page.length >= PAGE) {
      yield { text: stringify(page), rows: page.length };
      page = [];
    }
  }
  if (page.length) yield { text: stringify(page), rows: page.length };
}
