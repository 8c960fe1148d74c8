/**
 * Known-answer data: leads, their events and outcomes drawn from a KNOWN true conversion
 * probability, a logistic function of a few attributes and engagement counts. Reports, backtests
 * and benchmarks run on it and can be checked against the truth (the true model's AUC, which tier
 * should convert more), not only against themselves. Seeded (mulberry32): the same seed gives the
 * same leads on every run.
 *
 * Two outputs: `knownLeads` (the people, with their probability and outcome) and `knownAnswerRows`
 * (rows for direct insertion, scored with the real engine exactly as ingest would have left them).
 */
import BetterSqlite3 from 'better-sqlite3';
import { absorbEvents, EventName, type CompiledModel, type LeadPatch, type NewLead, type ScorableEvent, type TrackedEvent } from '../../shared/index';
import { blankLead } from '../../backend/src/store/leads/lead-rows';
import { applyScore } from '../../backend/src/store/leads/score-lead';
import { leadToRow } from '../../backend/src/store/sql/rows';
import type { Database } from '../../backend/src/store/sql/schema';
import type { LeadRow } from '../../backend/src/store/sql/rows';
import { prng } from './prng';

const DAY = 86_400_000;

export const INDUSTRIES = ['Software', 'SaaS', 'Retail', 'Healthcare', 'Manufacturing'] as const;
export const SENIORITIES = ['entry', 'senior', 'manager', 'director', 'vp', 'c-level'] as const;
export const SOURCES = ['referral', 'webinar', 'organic', 'paid', 'event'] as const;

/** What the truth depends on. */
export interface KnownFeatures {
  industry: (typeof INDUSTRIES)[number];
  seniority: (typeof SENIORITIES)[number];
  companySize: number;
  budget: boolean;
  decisionMaker: boolean;
  source: (typeof SOURCES)[number];
  emailOpens: number;
  pricingViews: number;
  webinarsAttended: number;
  demoRequested: boolean;
}

/**
 * The true model: log-odds of converting. Its weights follow the default scoring model's points
 * loosely (a score that ranks well should rank this data well), but not exactly: source matters
 * here and not in the default model, and a demo matters more. So the default model's AUC on this
 * data is close to, and a little below, the true model's.
 */
export function trueLogOdds(f: KnownFeatures): number {
  const targetIndustry = f.industry === 'Software' || f.industry === 'SaaS';
  const senior = f.seniority === 'director' || f.seniority === 'vp' || f.seniority === 'c-level';
  return (
    -4.2 +
    0.7 * +targetIndustry +
    0.7 * +senior +
    0.8 * +f.budget +
    0.8 * +f.decisionMaker +
    0.3 * +(f.companySize >= 50 && f.companySize <= 5000) +
    0.4 * +(f.source === 'referral') +
    0.08 * Math.min(f.emailOpens, 10) +
    0.35 * Math.min(f.pricingViews, 3) +
    1.0 * Math.min(f.webinarsAttended, 2) +
    2.0 * +f.demoRequested
  );
}

export const trueProbability = (f: KnownFeatures) => 1 / (1 + Math.exp(-trueLogOdds(f)));

export interface KnownLead {
  index: number;
  id: string;
  email: string;
  features: KnownFeatures;
  /** The true probability the outcome was drawn from. */
  probability: number;
  /** null: still open (no outcome yet). */
  outcome: 'won' | 'lost' | null;
  createdAt: number;
  /** Engagement as events: times and names (the counts above, plus unscored noise). */
  events: ScorableEvent[];
}

export interface KnownAnswerOptions {
  seed: number;
  leads: number;
  /** Scoring time; leads are created over `periodDays` before it, their events in the 30 days before it. */
  now: number;
  periodDays?: number;
  /** Share of leads with no outcome yet. */
  openShare?: number;
}

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
/** A small count with the given mean (geometric). */
const countWithMean = (rand: Rand, mean: number) => Math.floor(Math.log(1 - rand()) / Math.log(mean / (1 + mean)));

/** The leads, one at a time (constant memory for any number). */
export function* knownLeads(options: KnownAnswerOptions): Generator<KnownLead> {
  const { seed, leads, now, periodDays = 180, openShare = 0.2 } = options;
  const rand = prng(seed);
  for (let index = 0; index < leads; index++) {
    const features: KnownFeatures = {
      industry: pick(rand, INDUSTRIES),
      seniority: pick(rand, SENIORITIES),
      companySize: Math.floor(Math.exp(rand() * Math.log(20_000))),
      budget: rand() < 0.3,
      decisionMaker: rand() < 0.3,
      source: pick(rand, SOURCES),
      emailOpens: countWithMean(rand, 3),
      pricingViews: countWithMean(rand, 0.6),
      webinarsAttended: countWithMean(rand, 0.3),
      demoRequested: rand() < 0.08,
    };
    const probability = trueProbability(features);
    const won = rand() < probability;
    const outcome = rand() < openShare ? null : won ? 'won' : 'lost';
    const createdAt = now - Math.floor(rand() * periodDays * DAY);
    yield { index, id: `ld_known${seed}x${String(index).padStart(7, '0')}`, email: `person${index}@company${index % 997}.example`, features, probability, outcome, createdAt, events: eventsOf(rand, features, now) };
  }
}

function eventsOf(rand: Rand, f: KnownFeatures, now: number): ScorableEvent[] {
  const at = () => now - Math.floor(rand() * 30 * DAY);
  const page = (path: string): ScorableEvent => ({ event: EventName.pageViewed, properties: { path }, at: at() });
  const track = (event: string): ScorableEvent => ({ event, properties: {}, at: at() });
  const events: ScorableEvent[] = [];
  for (let i = 0; i < f.emailOpens; i++) events.push(track(EventName.emailOpened));
  for (let i = 0; i < f.pricingViews; i++) events.push(page('/pricing'));
  for (let i = 0; i < f.webinarsAttended; i++) events.push(track(EventName.webinarAttended));
  if (f.demoRequested) events.push(track(EventName.demoRequested));
  // Noise the truth ignores: blog reads.
  for (let i = countWithMean(rand, 2); i > 0; i--) events.push(page('/blog/scoring-101'));
  return events.sort((a, b) => a.at - b.at);
}

export type { LeadRow };
export type IdentityRow = Database['identities'];
export type EventRow = Omit<Database['events'], 'id'>;
export type HistoryRow = Omit<Database['attribute_history'], 'id'>;

export interface KnownRows {
  leads: LeadRow[];
  identities: IdentityRow[];
  events: EventRow[];
  /** Each attribute as set when the lead was created (what a backtest reads). */
  history: HistoryRow[];
}

/**
 * The leads as table rows, `blockSize` leads at a time, each scored by `compiled` at `now` with
 * the real engine (as ingest would have left it): insert them and the store holds the data.
 */
export function* knownAnswerRows(options: KnownAnswerOptions, tenancy: { workspaceId: string; siteId: string }, compiled: CompiledModel, blockSize = 5_000): Generator<KnownRows> {
  let block: KnownRows = { leads: [], identities: [], events: [], history: [] };
  for (const lead of knownLeads(options)) {
    addRows(block, lead, tenancy, compiled, options.now);
    if (block.leads.length === blockSize) (yield block, (block = { leads: [], identities: [], events: [], history: [] }));
  }
  if (block.leads.length) yield block;
}

function addRows(block: KnownRows, known: KnownLead, { workspaceId, siteId }: { workspaceId: string; siteId: string }, compiled: CompiledModel, now: number): void {
  const visitor = `visitor-${known.id}`;
  const set = (value: string | number | boolean) => ({ value, setBy: 'import', setAt: known.createdAt });
  const { emailOpens: _o, pricingViews: _p, webinarsAttended: _w, demoRequested: _d, ...fit } = known.features;
  const attributes = Object.fromEntries(Object.entries(fit).map(([key, value]) => [key, set(value)]));
  const blank = { ...blankLead(compiled, known.id, workspaceId, { email: known.email, name: `Person ${known.index}`, linkedinUrl: null, attributes }, now), outcome: known.outcome, outcomeAt: known.outcome ? now : null, createdAt: known.createdAt };
  const { lead } = applyScore(blank, compiled, absorbEvents(compiled, blank.aggregate, known.events, now), now);
  block.leads.push(leadToRow(lead));
  for (const [key, a] of Object.entries(lead.attributes)) block.history.push({ lead_id: known.id, key, value: JSON.stringify(a.value), set_by: a.setBy, at: a.setAt });
  block.identities.push({ workspace_id: workspaceId, kind: 'email', value: known.email, lead_id: known.id }, { workspace_id: workspaceId, kind: 'visitor', value: visitor, lead_id: known.id });
  known.events.forEach((e, k) => {
    block.events.push({
      workspace_id: workspaceId,
      site_id: siteId,
      message_id: `known-${known.id}-${k}`,
      type: e.event === EventName.pageViewed ? 'page' : 'track',
      name: e.event,
      anonymous_id: visitor,
      user_id: null,
      actor: visitor,
      lead_id: known.id,
      properties: JSON.stringify(e.properties),
      context: null,
      at: e.at,
      received_at: e.at,
    });
  });
}

/** One lead as the calls a client would make: create it, send its events, record its outcome. */
export interface KnownApiCalls {
  /** POST /api/leads. */
  lead: NewLead;
  /** POST /v1/batch (or /collect): events identified by the lead's email as userId. */
  events: TrackedEvent[];
  /** PATCH /api/leads/:id, or null while the lead is open. */
  outcome: LeadPatch | null;
}

/**
 * The same lead through the API. Its creation time is when the call is made (the API does not
 * take one); its score, tier and outcome come out as in `knownAnswerRows` when scored at the same `now`.
 */
export function knownAnswerApiCalls(known: KnownLead): KnownApiCalls {
  const { emailOpens: _o, pricingViews: _p, webinarsAttended: _w, demoRequested: _d, ...fit } = known.features;
  const events = known.events.map((e, k): TrackedEvent => {
    const common = { messageId: `known-${known.id}-${k}`, timestamp: new Date(e.at).toISOString(), userId: known.email };
    return e.event === EventName.pageViewed
      ? ({ ...common, type: 'page', properties: e.properties, context: { page: { path: String(e.properties?.path) } } } as TrackedEvent)
      : ({ ...common, type: 'track', event: e.event, properties: e.properties } as TrackedEvent);
  });
  return { lead: { email: known.email, name: `Person ${known.index}`, attributes: fit }, events, outcome: known.outcome ? { outcome: known.outcome } : null };
}

/** Writes the known-answer rows (leads, events, attribute history) straight into a SQLite file that has the schema. */
export function writeKnownAnswerSqlite(file: string, options: KnownAnswerOptions, tenancy: { workspaceId: string; siteId: string }, compiled: CompiledModel): void {
  const raw = new BetterSqlite3(file);
  try {
    const insert = (table: string, rows: object[]) => {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]!);
      const statement = raw.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
      raw.transaction(() => rows.forEach((row) => statement.run(row)))();
    };
    for (const block of knownAnswerRows(options, tenancy, compiled)) {
      insert('leads', block.leads);
      insert('events', block.events);
      insert('attribute_history', block.history);
    }
  } finally {
    raw.close();
  }
}
