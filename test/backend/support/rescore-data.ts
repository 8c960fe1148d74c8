/**
 * Random stored data and models for the rescore tests: leads and events as rows (the rescore
 * reads only rows), with every kind of JSON value in event properties, event ids that follow
 * neither time nor lead, and models whose rules count other events than the stored aggregates did.
 */
import type { Selectable } from 'kysely';
import type { Database } from '../../../backend/src/store/sql/schema';
import type { LeadRow } from '../../../backend/src/store/sql/rows';
import { DEFAULT_MODEL, emptyAggregate, type PropertyPredicate, type ScoringModel, type Stage } from '../../../shared/index';
import { prng } from '../../support/prng';
import { NOW } from './app';

const DAY = 86_400_000;

/** Rows as the tables hold them (see the store's schema). */
export type { LeadRow };
export type EventRow = Selectable<Database['events']>;
export type IdentityRow = Selectable<Database['identities']>;

export interface Dataset {
  leads: LeadRow[];
  identities: IdentityRow[];
  events: EventRow[];
}

/** Counted and uncounted names; 'Page Viewed' events carry page fields. */
const NAMES = ['Page Viewed', 'Email Opened', 'Form Submitted', 'Webinar Attended', 'Plan Changed', 'Trial Started', 'Engaged Time'];
const PATHS = ['/', '/pricing', '/pricing/enterprise', '/careers/sales', '/blog/2025/x', '/Pricing', '/é/ü'];
const STRINGS = ['Gold', 'gold', 'silver', '', 'a"b\\c', 'é😀', '\u2028', '10'];
const NUMBERS = [0, 1, -3, 2.5, 100, 1e21, 0.1];

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function value(rand: Rand): unknown {
  const kind = rand();
  if (kind < 0.35) return pick(rand, STRINGS);
  if (kind < 0.6) return pick(rand, NUMBERS);
  if (kind < 0.7) return rand() < 0.5;
  if (kind < 0.78) return null;
  if (kind < 0.9) return { tier: pick(rand, [...STRINGS, ...NUMBERS]), seats: pick(rand, NUMBERS) };
  return [pick(rand, STRINGS), pick(rand, NUMBERS)];
}

function properties(rand: Rand, name: string): Record<string, unknown> | null {
  if (rand() < 0.1) return null;
  const props: Record<string, unknown> = {};
  if (name === 'Page Viewed') props.path = pick(rand, PATHS);
  // 'a.b' as one key: a path 'a.b' reads a nested b in a, never this.
  for (const key of ['plan', 'amount', 'flag', 'tags', 'title', 'utm-source', 'a', 'a.b', 'constructor']) if (rand() < 0.3) props[key] = key === 'a' ? { b: value(rand) } : value(rand);
  return props;
}

function attributes(rand: Rand, email: string): string {
  const set = (value: string | number | boolean) => ({ value, setBy: 'import', setAt: NOW - DAY });
  const attrs: Record<string, unknown> = {
    industry: set(pick(rand, ['Software', 'Retail', 'fintech', 'SaaS'])),
    companySize: set(Math.floor(rand() * 10_000)),
    emailDomainType: set(email.endsWith('@gmail.com') ? 'free' : 'business'),
  };
  if (rand() < 0.5) attrs.budget = set(rand() < 0.5);
  if (rand() < 0.3) attrs.rating = set(Math.floor(rand() * 11));
  return JSON.stringify(attrs);
}

/**
 * `leads` leads of the workspace with about `perLead` events each, plus anonymous events and
 * events of uncounted names; event ids are spread over firstId..firstId + idSpan in random order.
 */
export function dataset(seed: number, ws: { workspaceId: string; siteId: string }, leads: number, perLead: number, ids: { firstId: number; idSpan: number }): Dataset {
  const rand = prng(seed);
  const stale = JSON.stringify(emptyAggregate(DEFAULT_MODEL));
  const rows: LeadRow[] = [];
  const identities: IdentityRow[] = [];
  const events: Omit<EventRow, 'id'>[] = [];
  for (let i = 0; i < leads; i++) {
    const id = `ld_t${seed}x${Math.floor(rand() * 1e9).toString(36)}${i}`;
    const email = i % 5 === 0 ? `p${i}@gmail.com` : `p${i}@acme${i}.test`;
    const stage = pick(rand, ['Prospect', 'Prospect', 'MQL', 'SQL', 'Customer'] as Stage[]);
    rows.push({
      id,
      workspace_id: ws.workspaceId,
      email,
      name: null,
      linkedin_url: null,
      attributes: attributes(rand, email),
      stage,
      outcome: stage === 'Customer' ? 'won' : null,
      outcome_at: null,
      aggregate: stale,
      account_id: null,
      score: 0,
      fit: 0,
      engagement: 0,
      tier: 'Cold',
      grade: 'D',
      scored_at: NOW - DAY,
      model_version: 0,
      created_at: NOW - 100 * DAY,
      updated_at: NOW - DAY,
    });
    identities.push({ workspace_id: ws.workspaceId, kind: 'email', value: email, lead_id: id });
    const count = Math.floor(rand() * 2 * perLead);
    for (let k = 0; k < count; k++) events.push(eventRow(rand, ws, id, events.length));
  }
  for (let k = 0; k < leads; k++) events.push(eventRow(rand, ws, null, events.length));
  return { leads: rows, identities, events: withSpreadIds(rand, events, ids.firstId, ids.idSpan) };
}

function eventRow(rand: Rand, ws: { workspaceId: string; siteId: string }, leadId: string | null, n: number): Omit<EventRow, 'id'> {
  const name = pick(rand, NAMES);
  const props = properties(rand, name);
  // Mostly the past 90 days; a few a day ahead of NOW (a skewed clock), which count as at NOW.
  const at = rand() < 0.05 ? NOW + DAY : NOW - Math.floor(rand() * 90 * DAY);
  return {
    workspace_id: ws.workspaceId,
    site_id: ws.siteId,
    message_id: `m-${ws.workspaceId}-${n}`,
    type: name === 'Page Viewed' ? 'page' : 'track',
    name,
    anonymous_id: `v-${n}`,
    user_id: null,
    actor: `v-${n}`,
    lead_id: leadId,
    properties: props && JSON.stringify(props),
    context: null,
    at,
    received_at: at,
  };
}

/** Distinct ids spread over the span, handed out in random order: storage order follows neither time nor lead. */
function withSpreadIds(rand: Rand, events: Omit<EventRow, 'id'>[], firstId: number, span: number): EventRow[] {
  const step = Math.max(1, Math.floor(span / Math.max(1, events.length)));
  const ids = events.map((_, i) => firstId + i * step);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return events.map((e, i) => ({ id: ids[i]!, ...e }));
}

/**
 * A model whose engagement rules count other events than the default model (so every stored
 * aggregate is stale), with conditions of every operator on flat and nested properties. With
 * `oddKeys`, a condition also reads a key a JSON path cannot name plainly ('utm-source').
 */
export function rebuildingModel(seed: number, oddKeys: boolean): ScoringModel {
  const rand = prng(seed);
  const props = ['path', 'plan', 'amount', 'flag', 'tags', 'title', 'a.b', 'constructor', 'plan.tier', ...(oddKeys ? ['utm-source'] : [])];
  const condition = (): PropertyPredicate => {
    const prop = pick(rand, props);
    switch (Math.floor(rand() * 8)) {
      case 0:
        return { prop, op: 'eq', value: pick(rand, [...STRINGS, ...NUMBERS, true, false]) };
      case 1:
        return { prop, op: 'in', values: [pick(rand, STRINGS), pick(rand, NUMBERS), true] };
      case 2:
        return { prop, op: 'between', min: -5, max: 50 };
      case 3:
        return { prop, op: 'gte', value: 1 };
      case 4:
        return { prop, op: 'lte', value: 2.5 };
      case 5:
        return { prop, op: 'matches', pattern: '^(gold|10|/pricing)' };
      case 6:
        return { prop, op: 'exists' };
      default:
        return { prop: 'path', op: 'glob', pattern: pick(rand, ['/**/pricing*', '/careers/**', '/*']) };
    }
  };
  const rules = Array.from({ length: 8 }, (_, i): ScoringModel['engagement']['rules'][number] => ({
    id: `r${i}`,
    label: `Rule ${i}`,
    event: rand() < 0.2 ? [pick(rand, NAMES), pick(rand, NAMES)] : pick(rand, NAMES),
    ...(rand() < 0.7 ? { where: Array.from({ length: 1 + Math.floor(rand() * 2) }, condition) } : {}),
    points: Math.round(rand() * 60 - 15),
    ...(rand() < 0.5 ? { maxCount: 1 + Math.floor(rand() * 4) } : {}),
    ...(rand() < 0.3 ? { maxPoints: 25 } : {}),
    ...(rand() < 0.3 ? { halfLifeDays: pick(rand, [0, 7, 45]) } : {}),
    ...(i === 0 ? { milestone: true } : {}),
  }));
  return {
    ...DEFAULT_MODEL,
    halfLifeDays: 20,
    engagement: { max: 60, rules },
    stages: { MQL: [{ minScore: 30 }], SQL: [{ milestone: 'r0' }, { minScore: 70 }] },
  };
}

/** The same model with other points: every aggregate built for it stays valid. */
export function withOtherPoints(model: ScoringModel): ScoringModel {
  return { ...model, engagement: { ...model.engagement, rules: model.engagement.rules.map((r) => ({ ...r, points: r.points * 2 - 3 })) } };
}
