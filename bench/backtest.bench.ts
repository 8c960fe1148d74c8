/**
 * Backtest benchmark (`npm run bench -- backtest`): `POST /api/reports/backtest` (as `backtest`)
 * over 100k known-answer leads with outcomes on SQLite, against the engine alone scoring the same
 * leads and events already in memory (the floor: what scoring costs without reading anything).
 * Budget: at most 3x the engine alone, as for the rescore.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { compileModel, DEFAULT_MODEL, scoreLead, type CompiledModel, type LeadAttributes, type ScorableEvent } from '../shared/index';
import { backtest } from '../backend/src/reports/backtest';
import { SqliteStore } from '../backend/src/store/sqlite/sqlite-store';
import { knownAnswerRows } from '../test/support/known-answer';
import { median, ms } from './stats';

const LEADS = 100_000;
const RUNS = 3;
const BUDGET_RATIO = 3;
const NOW = Date.parse('2026-01-15T12:00:00Z');
const options = { seed: 2026, leads: LEADS, now: NOW };

interface InMemoryLead {
  email: string | null;
  attributes: LeadAttributes;
  events: ScorableEvent[];
  outcomeAt: number;
}

/** Fills a SQLite file with the known-answer rows; returns the closed leads as the engine alone reads them. */
function fill(file: string, workspaceId: string, siteId: string, compiled: CompiledModel): { closed: InMemoryLead[]; events: number } {
  const raw = new Database(file);
  const closed: InMemoryLead[] = [];
  let events = 0;
  const insert = (table: string, rows: object[]) => {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    const statement = raw.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
    raw.transaction(() => rows.forEach((row) => statement.run(row)))();
  };
  for (const block of knownAnswerRows(options, { workspaceId, siteId }, compiled)) {
    insert('leads', block.leads);
    insert('events', block.events);
    insert('attribute_history', block.history);
    const eventsByLead = new Map<string, ScorableEvent[]>();
    for (const e of block.events) {
      const list = eventsByLead.get(e.lead_id!) ?? [];
      list.push({ event: e.name, properties: JSON.parse(e.properties ?? '{}') as Record<string, unknown>, at: e.at });
      eventsByLead.set(e.lead_id!, list);
    }
    for (const lead of block.leads) {
      if (lead.outcome === null) continue;
      const leadEvents = eventsByLead.get(lead.id) ?? [];
      events += leadEvents.length;
      const attributes = Object.fromEntries(Object.entries(JSON.parse(lead.attributes) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]));
      closed.push({ email: lead.email, attributes: attributes as LeadAttributes, events: leadEvents, outcomeAt: NOW });
    }
  }
  raw.close();
  return { closed, events };
}

function engineAloneMs(compiled: CompiledModel, closed: InMemoryLead[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    for (const lead of closed) scoreLead(compiled, { email: lead.email, attributes: lead.attributes, stage: 'Prospect', outcome: null }, lead.events, lead.outcomeAt);
    times.push(performance.now() - start);
  }
  return median(times);
}

async function backtestMs(store: SqliteStore, workspaceId: string, request: object): Promise<{ ms: number; leads: number; auc: number | null }> {
  const times: number[] = [];
  let last: Awaited<ReturnType<typeof backtest>> | undefined;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    last = await backtest(store, workspaceId, request, NOW);
    times.push(performance.now() - start);
  }
  return { ms: median(times), leads: last!.leads, auc: last!.models[0]!.auc };
}

export default async function run(): Promise<string> {
  const dir = mkdtempSync(join(os.tmpdir(), 'leadscore-bench-backtest-'));
  try {
    const file = join(dir, 'backtest.db');
    let store = await SqliteStore.open(file);
    const workspace = await store.createWorkspace('Bench', NOW);
    const site = await store.createSite(workspace.id, ['https://acme.example'], NOW);
    await store.close();
    const compiled = compileModel(DEFAULT_MODEL);
    const { closed, events } = fill(file, workspace.id, site.id, compiled);
    store = await SqliteStore.open(file);
    try {
      const engine = engineAloneMs(compiled, closed);
      const one = await backtestMs(store, workspace.id, { model: 'current' });
      const two = await backtestMs(store, workspace.id, { model: 'current', vs: { ...DEFAULT_MODEL, name: 'Engagement only', fit: { ...DEFAULT_MODEL.fit, rules: [] } } });
      if (one.leads !== closed.length) throw new Error(`the backtest scored ${one.leads} leads, the engine ${closed.length}`);
      const ratio = one.ms / engine;
      return [
        '## Backtest',
        '',
        `\`POST /api/reports/backtest\` (as \`backtest\`) on SQLite over ${closed.length.toLocaleString('en-US')} known-answer leads with outcomes (${LEADS.toLocaleString('en-US')} leads, seed ${options.seed}; ${events.toLocaleString('en-US')} events up to the outcomes), median of ${RUNS} runs, beside the engine alone scoring the same leads and events from memory in the same process. Budget: at most ${BUDGET_RATIO}x the engine alone.`,
        '',
        '| run | time | leads/s | vs engine alone |',
        '| --- | --- | --- | --- |',
        `| engine alone (scoreLead, data in memory) | ${ms(engine)} | ${(closed.length / (engine / 1000)).toFixed(0)} | 1.00x |`,
        `| backtest, one model | ${ms(one.ms)} | ${(closed.length / (one.ms / 1000)).toFixed(0)} | ${ratio.toFixed(2)}x (${ratio <= BUDGET_RATIO ? 'within' : '**over**'} budget) |`,
        `| backtest, two models side by side (+ DeLong) | ${ms(two.ms)} | ${(closed.length / (two.ms / 1000)).toFixed(0)} | ${(two.ms / engine).toFixed(2)}x of one model's engine time |`,
        '',
        `The backtest reads each page of 1,000 leads with its events and attribute history up to each outcome (three indexed queries per page), parses event properties and history values, and scores as of the outcome date. AUC of the default model on these leads: ${one.auc?.toFixed(3)}.`,
      ].join('\n');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
