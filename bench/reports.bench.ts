/**
 * Reports benchmark (`npm run bench -- reports`): the conversion report over 100k known-answer
 * leads on SQLite and PostgreSQL (the store's paged reads plus the tally), beside the tally alone
 * over the same rows in memory, so the cost of reading is visible. Also checks the report against
 * the data's truth: the score's AUC beside the true model's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { auc } from '../shared/evidence';
import { compileModel, DEFAULT_MODEL } from '../shared/index';
import { conversionReport } from '../backend/src/reports/conversion-report';
import { ConversionTally } from '../backend/src/reports/conversion-tally';
import { PostgresStore } from '../backend/src/store/postgres/postgres-store';
import { SqliteStore } from '../backend/src/store/sqlite/sqlite-store';
import type { KyselyStore } from '../backend/src/store/kysely-store';
import type { LeadOutcomeRow } from '../backend/src/store/store';
import { testSchema } from '../test/backend/support/postgres-schema';
import { postgresProblem, TEST_PG_URL } from '../test/support/env';
import { knownAnswerRows, knownLeads, type LeadRow } from '../test/support/known-answer';
import { median, ms } from './stats';

const LEADS = 100_000;
const RUNS = 5;
const BUDGET_MS = 2_000;
const NOW = Date.parse('2026-01-15T12:00:00Z');
const options = { seed: 2026, leads: LEADS, now: NOW };
const QUERY = { attribute: ['industry', 'seniority'] };

async function timeReports(store: KyselyStore, workspaceId: string): Promise<{ ms: number; auc: number | null }> {
  const times: number[] = [];
  let last = null as Awaited<ReturnType<typeof conversionReport>> | null;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    last = await conversionReport(store, workspaceId, QUERY, NOW);
    times.push(performance.now() - start);
  }
  return { ms: median(times), auc: last!.auc };
}

async function sqliteRun(): Promise<{ ms: number; auc: number | null; rows: LeadOutcomeRow[] }> {
  const dir = mkdtempSync(join(os.tmpdir(), 'leadscore-bench-reports-'));
  try {
    const file = join(dir, 'reports.db');
    let store = await SqliteStore.open(file);
    const workspace = await store.createWorkspace('Bench', NOW);
    const site = await store.createSite(workspace.id, ['https://acme.example'], NOW);
    await store.close();
    const raw = new Database(file);
    const rows: LeadOutcomeRow[] = [];
    for (const { leads } of knownAnswerRows(options, { workspaceId: workspace.id, siteId: site.id }, compileModel(DEFAULT_MODEL))) {
      const columns = Object.keys(leads[0]!);
      const insert = raw.prepare(`insert into leads (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
      raw.transaction(() => leads.forEach((row) => insert.run(row)))();
      for (const row of leads) rows.push(outcomeRow(row));
    }
    raw.close();
    store = await SqliteStore.open(file);
    try {
      return { ...(await timeReports(store, workspace.id)), rows };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRun(): Promise<{ ms: number; auc: number | null }> {
  const schema = testSchema();
  const store = await PostgresStore.open(schema.url);
  const client = new pg.Client({ connectionString: TEST_PG_URL, options: `-c search_path=${schema.schema}` });
  await client.connect();
  try {
    const workspace = await store.createWorkspace('Bench', NOW);
    const site = await store.createSite(workspace.id, ['https://acme.example'], NOW);
    for (const { leads } of knownAnswerRows(options, { workspaceId: workspace.id, siteId: site.id }, compileModel(DEFAULT_MODEL))) {
      const columns = Object.keys(leads[0]!).join(', ');
      await client.query(`insert into leads (${columns}) select ${columns} from json_populate_recordset(null::leads, $1::json)`, [JSON.stringify(leads)]);
    }
    await client.query('analyze leads');
    return await timeReports(store, workspace.id);
  } finally {
    await client.end();
    await store.close();
    await schema.drop();
  }
}

function outcomeRow(row: LeadRow): LeadOutcomeRow {
  const attributes = Object.fromEntries(Object.entries(JSON.parse(row.attributes) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]));
  return { score: row.score, tier: row.tier, grade: row.grade, outcome: row.outcome as 'won' | 'lost' | null, accountTier: null, attributes };
}

/** The tally alone over rows already in memory: what the report costs without reading the database. */
function tallyAloneMs(rows: LeadOutcomeRow[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const tally = new ConversionTally(QUERY.attribute);
    for (const row of rows) tally.add(row);
    tally.result(['Hot', 'Warm', 'Cold']);
    times.push(performance.now() - start);
  }
  return median(times);
}

export default async function run(): Promise<string> {
  const closed = [...knownLeads(options)].filter((l) => l.outcome !== null);
  const trueAuc = auc(closed.map((l) => l.probability), closed.map((l) => l.outcome === 'won'))!;
  const sqlite = await sqliteRun();
  const tally = tallyAloneMs(sqlite.rows);
  const problem = await postgresProblem();
  const postgres = problem ? null : await postgresRun();
  const verdict = (x: number) => (x <= BUDGET_MS ? 'within' : '**over**');
  const row = (name: string, r: { ms: number }) => `| ${name} | ${ms(r.ms)} | ${(LEADS / (r.ms / 1000)).toFixed(0)} | ${verdict(r.ms)} |`;
  return [
    '## Reports',
    '',
    `\`GET /api/reports/conversion\` (as \`conversionReport\`, with two attribute breakdowns) over ${LEADS.toLocaleString('en-US')} known-answer leads (test/support/known-answer.ts, seed ${options.seed}), median of ${RUNS} runs. Budget: ${BUDGET_MS / 1000} s per report.`,
    '',
    '| database | report | leads/s | budget |',
    '| --- | --- | --- | --- |',
    row('SQLite', sqlite),
    postgres ? row('PostgreSQL', postgres) : `| PostgreSQL | not run: ${problem} | | |`,
    `| tally alone (rows in memory) | ${ms(tally)} | ${(LEADS / (tally / 1000)).toFixed(0)} | |`,
    '',
    'Reading the rows is nearly all of the time; the counting is a few percent. Memory is one page of 2,000 leads plus the counts (per group, and per distinct score: at most 10,001), whatever the number of leads.',
    '',
    `Against the truth: the default model's AUC on this data is ${sqlite.auc?.toFixed(3)}${postgres ? ` (PostgreSQL: ${postgres.auc?.toFixed(3)})` : ''}; the true model's, from the probabilities the outcomes were drawn from, is ${trueAuc.toFixed(3)}.`,
  ].join('\n');
}
