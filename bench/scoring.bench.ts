/**
 * Scoring engine throughput: 100k leads with 2M synthetic events from a seeded generator, scored
 * with the default model on one core (one JS thread), from scratch and incrementally.
 * Generation happens in blocks outside the timed sections, so only scoring is measured.
 */
import os from 'node:os';
import {
  absorbEvents,
  compileModel,
  DEFAULT_MODEL,
  emptyAggregate,
  EventName,
  scoreAggregate,
  scoreLead,
  type CompiledModel,
  type LeadAggregate,
  type LeadAttributes,
  type ScorableEvent,
} from '../shared/index';
import { prng } from '../test/support/prng';
import { EVENTS, eventCounts, eventName, LEADS, randomPath } from './synthetic';

const BLOCK = 5_000;
const BATCH = 5;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 31);
const BUDGET = 1_000_000;

/** n events over the last year, oldest first, shaped like what the backend hands the engine. */
function leadEvents(rand: () => number, n: number): ScorableEvent[] {
  const times = Array.from({ length: n }, () => NOW - Math.floor(rand() * 365 * DAY)).sort((a, b) => a - b);
  return times.map((at, i) => {
    const event = eventName(rand);
    if (event === EventName.pageViewed) {
      const path = randomPath(rand);
      return { id: `e${i}`, event, at, properties: { path, url: `https://acme.example${path}`, title: 'Acme' } };
    }
    return { id: `e${i}`, event, at, properties: { campaign: 'q1' } };
  });
}

function leadAttributes(rand: () => number): LeadAttributes {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  return {
    industry: pick(['Software', 'Retail', 'Fintech', 'Healthcare', 'Manufacturing']),
    seniority: pick(['entry', 'senior', 'manager', 'director', 'vp', 'c-level'] as const),
    companySize: Math.floor(rand() * 10_000),
    budget: rand() < 0.3,
    decisionMaker: rand() < 0.3,
    emailDomainType: pick(['business', 'business', 'business', 'free', 'disposable'] as const),
  };
}

interface Block {
  leads: { attributes: LeadAttributes }[];
  events: ScorableEvent[][];
  count: number;
}

function* blocks(seed: number, counts: Int32Array): Generator<Block> {
  const rand = prng(seed);
  for (let start = 0; start < counts.length; start += BLOCK) {
    const leads: Block['leads'] = [];
    const events: ScorableEvent[][] = [];
    let count = 0;
    for (let i = start; i < Math.min(start + BLOCK, counts.length); i++) {
      leads.push({ attributes: leadAttributes(rand) });
      events.push(leadEvents(rand, counts[i]!));
      count += counts[i]!;
    }
    yield { leads, events, count };
  }
}

const timed = (f: () => void) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

interface Totals {
  scratchMs: number;
  incrementalMs: number;
  jsonMs: number;
  rescoreMs: number;
  events: number;
  checksum: [number, number, number, number];
  aggregateBytes: number;
}

/** One pass over all leads: from scratch, incrementally in batches, and incrementally with JSON storage. */
function measure(compiled: CompiledModel, counts: Int32Array, seed: number): Totals {
  const t: Totals = { scratchMs: 0, incrementalMs: 0, jsonMs: 0, rescoreMs: 0, events: 0, checksum: [0, 0, 0, 0], aggregateBytes: 0 };
  const stored: string[] = [];
  for (const block of blocks(seed, counts)) {
    const { leads, events } = block;
    t.events += block.count;
    t.scratchMs += timed(() => {
      for (let i = 0; i < leads.length; i++) t.checksum[0] += scoreLead(compiled, leads[i]!, events[i]!, NOW).score;
    });
    const batches = events.map((evs) => Array.from({ length: Math.ceil(evs.length / BATCH) }, (_, b) => evs.slice(b * BATCH, b * BATCH + BATCH)));
    t.incrementalMs += timed(() => {
      for (let i = 0; i < leads.length; i++) {
        let agg = emptyAggregate(compiled);
        let score = 0;
        for (const batch of batches[i]!) {
          agg = absorbEvents(compiled, agg, batch, NOW);
          score = scoreAggregate(compiled, leads[i]!, agg, NOW).score;
        }
        t.checksum[1] += score;
      }
    });
    t.jsonMs += timed(() => {
      for (let i = 0; i < leads.length; i++) {
        let json = JSON.stringify(emptyAggregate(compiled));
        let score = 0;
        for (const batch of batches[i]!) {
          const agg = absorbEvents(compiled, JSON.parse(json) as LeadAggregate, batch, NOW);
          score = scoreAggregate(compiled, leads[i]!, agg, NOW).score;
          json = JSON.stringify(agg);
        }
        t.checksum[2] += score;
        stored.push(json);
      }
    });
  }
  const rand = prng(seed + 1);
  const attributes = Array.from({ length: stored.length }, () => ({ attributes: leadAttributes(rand) }));
  t.rescoreMs = timed(() => {
    for (let i = 0; i < stored.length; i++) t.checksum[3] += scoreAggregate(compiled, attributes[i]!, JSON.parse(stored[i]!) as LeadAggregate, NOW + DAY).score;
  });
  t.aggregateBytes = stored.reduce((s, j) => s + j.length, 0) / stored.length;
  return t;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

export default async function run(): Promise<string> {
  const compiled = compileModel(DEFAULT_MODEL);
  const load = os.loadavg()[0]!.toFixed(2);
  const warmCounts = eventCounts(prng(99)).subarray(0, 2 * BLOCK);
  measure(compiled, warmCounts, 98);

  const counts = eventCounts(prng(1));
  const t = measure(compiled, counts, 2);
  if (t.events !== EVENTS || counts.length !== LEADS) throw new Error(`generator produced ${t.events} events for ${counts.length} leads`);
  if (t.checksum[0] !== t.checksum[1] || t.checksum[0] !== t.checksum[2]) throw new Error(`incremental and from-scratch scores differ: ${t.checksum.join(' / ')}`);

  const rate = (ms: number) => (EVENTS / ms) * 1000;
  const scratch = rate(t.scratchMs);
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  const rules = compiled.fitRules.length + compiled.engagementRules.length;
  const verdict = (r: number) => (r >= BUDGET ? 'meets' : '**misses**');
  return `## Scoring engine

${fmt(LEADS)} leads, ${fmt(EVENTS)} synthetic events (seeded generator: 1-39 events per lead over the last year, 11 event
kinds, page views with paths; a sixth of the events have names no rule scores), default model (${rules} rules,
30-day half-life), one JS thread. Generation is outside the timed sections.
Budget: >= ${fmt(BUDGET)} events scored per second.

| what | time | rate | budget |
| --- | ---: | ---: | --- |
| \`scoreLead\` from scratch, one call per lead | ${fmt(t.scratchMs)} ms | ${fmt(scratch)} events/s | ${verdict(scratch)} |
| incremental: \`absorbEvents\` + \`scoreAggregate\` after every batch of ${BATCH} events (4 scores per lead on average) | ${fmt(t.incrementalMs)} ms | ${fmt(rate(t.incrementalMs))} events/s | ${verdict(rate(t.incrementalMs))} |
| same, plus JSON.parse + JSON.stringify of the aggregate per batch (the storage round trip) | ${fmt(t.jsonMs)} ms | ${fmt(rate(t.jsonMs))} events/s | informational: mostly JSON |
| full rescore of ${fmt(LEADS)} leads from stored JSON aggregates (no events reread) | ${fmt(t.rescoreMs)} ms | ${fmt((LEADS / t.rescoreMs) * 1000)} leads/s | |

Mean stored aggregate: ${fmt(t.aggregateBytes)} bytes of JSON per lead. Peak RSS of the process: ${fmt(peakMiB)} MiB
(includes one block of ${fmt(BLOCK)} generated leads and the ${fmt(LEADS)} stored aggregates).
Incremental and from-scratch scores were checked equal (sum of scores ${t.checksum[0].toFixed(2)}).
Load average when the run started: ${load} (other work shares the cores, so treat the rates as lower bounds).`;
}
