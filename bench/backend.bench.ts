/**
 * Backend benchmark (`npm run bench -- backend`): ingest over HTTP against a durable baseline (parse
 * and commit the events as rows, grouped) and a bare node:http server measured in the same run, batch lookups and full rescores on 100k leads / 2M events, and the
 * server's peak memory; on SQLite, then on PostgreSQL with one and two instances.
 * Load comes from autocannon; servers are real `npm start` processes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../backend/src/store/open';
import { testSchema } from '../test/backend/support/postgres-schema';
import { postgresProblem, TEST_PG_URL } from '../test/support/env';
import { EVENTS, LEADS, type Tenancy } from './backend/data';
import { CONNECTIONS, EVENTS_PER_REQUEST, ingestLoad, type IngestResult, type IngestTarget } from './backend/ingest';
import { loadPostgres, loadSqlite } from './backend/load';
import { rollUpPass } from './accounts/roll-up-pass';
import { EMAILS_PER_LOOKUP, lookups, type LookupResult } from './backend/lookup';
import { startBackend, startBareServer, startDurableServer, type ServerProcess } from './backend/processes';
import { engineFromScratchMs } from './backend/engine-baseline';
import { pointsOnlyModel, putModel, rebuildingModel, type RescoreResult } from './backend/rescore';
import { ms } from './stats';

export const ORIGIN = 'https://www.acme.example';
const WARMUP_SECONDS = 3;
const INGEST_SECONDS = 15;
const LOOKUPS = 2_000;
const LOOKUP_WARMUP = 300;
const WORKSPACES = 4;

export interface Setup extends Tenancy {
  siteKey: string;
  adminToken: string;
  repToken: string;
}

interface Counts {
  leads: number;
  events: number;
  eventsWithLead: number;
}

interface DatabaseRun {
  loadMs: number;
  ingest: IngestResult;
  /** PostgreSQL only: the same load split over two instances on the same database. */
  ingestTwo?: IngestResult;
  /** PostgreSQL only: the load spread over several workspaces' sites, on one instance and on two. */
  workspaces?: { one: IngestResult; two: IngestResult };
  lookup: LookupResult;
  rebuild: RescoreResult;
  reuse: RescoreResult;
  counts: Counts;
  /** The server's peak RSS (VmHWM) so far, after each phase: it only grows, so the last is the peak of the run. */
  peakRssMiB: { ingest: number; lookups: number; rescores: number };
}

export async function setUp(databaseUrl: string, name = 'Bench'): Promise<Setup> {
  const store = await openStore(databaseUrl);
  try {
    const now = Date.now();
    const workspace = await store.createWorkspace(name, now);
    const site = await store.createSite(workspace.id, [ORIGIN], now);
    const adminToken = (await store.createToken(workspace.id, 'admin', 'bench', now)).secret;
    const repToken = (await store.createToken(workspace.id, 'rep', 'bench', now)).secret;
    return { workspaceId: workspace.id, siteId: site.id, siteKey: site.key, adminToken, repToken };
  } finally {
    await store.close();
  }
}

async function timed(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Warm up, then measure: JIT, connection pools and caches are warm in both servers alike. */
async function measureIngest(targets: IngestTarget[]): Promise<IngestResult> {
  await ingestLoad(targets, WARMUP_SECONDS);
  const result = await ingestLoad(targets, INGEST_SECONDS);
  if (result.failures > 0) throw new Error(`ingest load had ${result.failures} failed requests`);
  return result;
}

async function bareIngest(): Promise<IngestResult> {
  const bare = await startBareServer();
  try {
    return await measureIngest([{ url: bare.url, siteKey: 'pk_bare', origin: ORIGIN }]);
  } finally {
    await bare.stop();
  }
}

/** The durable baseline: parse and commit each batch's events as rows, grouped as leadscore groups commits. */
async function durableIngest(): Promise<IngestResult> {
  const dir = mkdtempSync(join(os.tmpdir(), 'leadscore-durable-'));
  const durable = await startDurableServer(join(dir, 'durable.db'));
  try {
    return await measureIngest([{ url: durable.url, siteKey: 'pk_durable', origin: ORIGIN }]);
  } finally {
    await durable.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Ingest, then lookups at once, on each database after exactly one ingest run of the same length:
 * the writes it leaves to flush weigh on both alike.
 */
async function ingestThenLookups(server: ServerProcess, setup: Setup) {
  const ingest = await measureIngest([{ url: server.url, siteKey: setup.siteKey, origin: ORIGIN }]);
  const rssAfterIngest = server.peakRssMiB();
  const lookup = await lookups(server, setup.repToken, LOOKUPS, LOOKUP_WARMUP);
  return { ingest, lookup, rss: { ingest: rssAfterIngest, lookups: server.peakRssMiB() } };
}

/** The rescores: first one that rebuilds every aggregate from the events, then one that reuses them. */
async function rescores(server: ServerProcess, setup: Setup) {
  const rebuild = await putModel(server.url, setup.adminToken, rebuildingModel);
  const reuse = await putModel(server.url, setup.adminToken, pointsOnlyModel);
  return { rebuild, reuse };
}

async function sqliteRun(now: number): Promise<DatabaseRun> {
  const dir = mkdtempSync(join(os.tmpdir(), 'leadscore-bench-'));
  const file = join(dir, 'bench.db');
  try {
    const setup = await setUp(file);
    const loadMs = await timed(() => loadSqlite(file, setup, now));
    await rollUpPass(file, setup.workspaceId);
    const server = await startBackend(file, ['/api/leads']);
    try {
      const { ingest, lookup, rss } = await ingestThenLookups(server, setup);
      const rescored = await rescores(server, setup);
      return { loadMs, ingest, lookup, ...rescored, peakRssMiB: { ...rss, rescores: server.peakRssMiB() }, counts: sqliteCounts(file) };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sqliteCounts(file: string): Counts {
  const db = new Database(file, { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return { leads: one('select count(*) as n from leads'), events: one('select count(*) as n from events'), eventsWithLead: one('select count(*) as n from events where lead_id is not null') };
  } finally {
    db.close();
  }
}

/**
 * Ingest into WORKSPACES workspaces at once (the loaded one and new ones), each site taking its share of
 * the connections: all on one instance, then the workspaces alternating between two. A workspace's
 * writes are serialized across instances (its advisory lock); different workspaces' are not.
 */
async function spreadOverWorkspaces(databaseUrl: string, setup: Setup, first: ServerProcess, second: ServerProcess): Promise<{ one: IngestResult; two: IngestResult }> {
  const others = [];
  for (let i = 1; i < WORKSPACES; i++) others.push(await setUp(databaseUrl, `Bench ${i + 1}`));
  const keys = [setup.siteKey, ...others.map((o) => o.siteKey)];
  const one = await measureIngest(keys.map((siteKey) => ({ url: first.url, siteKey, origin: ORIGIN })));
  const two = await measureIngest(keys.map((siteKey, i) => ({ url: (i % 2 ? second : first).url, siteKey, origin: ORIGIN })));
  return { one, two };
}

/** On a schema of its own in the tests' database (LEADSCORE_TEST_PG_URL), dropped afterwards. */
async function postgresRun(now: number): Promise<DatabaseRun> {
  const pgSchema = testSchema();
  try {
    const setup = await setUp(pgSchema.url);
    const loadMs = await timed(() => loadPostgres(TEST_PG_URL, pgSchema.schema, setup, now));
    await rollUpPass(pgSchema.url, setup.workspaceId);
    const target = (s: ServerProcess): IngestTarget => ({ url: s.url, siteKey: setup.siteKey, origin: ORIGIN });
    const first = await startBackend(pgSchema.url, ['/api/leads']);
    try {
      const { ingest, lookup, rss } = await ingestThenLookups(first, setup);
      const second = await startBackend(pgSchema.url);
      let ingestTwo: IngestResult;
      let workspaces: DatabaseRun['workspaces'];
      try {
        ingestTwo = await measureIngest([target(first), target(second)]);
        workspaces = await spreadOverWorkspaces(pgSchema.url, setup, first, second);
      } finally {
        await second.stop();
      }
      const rescored = await rescores(first, setup);
      const one = async (sql: string) => (await pgSchema.query<{ n: number }>(sql))[0]!.n;
      const counts = { leads: await one('select count(*)::int as n from leads'), events: await one('select count(*)::int as n from events'), eventsWithLead: await one('select count(*)::int as n from events where lead_id is not null') };
      return { loadMs, ingest, ingestTwo, workspaces, lookup, ...rescored, peakRssMiB: { ...rss, rescores: first.peakRssMiB() }, counts };
    } finally {
      await first.stop();
    }
  } finally {
    await pgSchema.drop();
  }
}

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const secs = (x: number) => `${(x / 1000).toFixed(2)} s`;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const verdict = (ok: boolean) => (ok ? 'meets' : '**misses**');

function ingestRow(name: string, r: IngestResult, base: { bare: IngestResult; durable: IngestResult }, budget: string): string {
  const of = (b: IngestResult) => pct(r.requestsPerSecond / b.requestsPerSecond);
  return `| ${name} | ${int(r.requestsPerSecond)} | ${int(r.eventsPerSecond)} | ${ms(r.latencyP50)} / ${ms(r.latencyP99)} | ${of(base.durable)} | ${of(base.bare)} | ${budget} |`;
}

function report(base: { bare: IngestResult; durable: IngestResult }, sqlite: DatabaseRun, postgres: DatabaseRun | string, load: string, engineMs: number): string {
  const pgRun = typeof postgres === 'string' ? undefined : postgres;
  const runs: [string, DatabaseRun][] = [['SQLite', sqlite], ...(pgRun ? [['PostgreSQL', pgRun] as [string, DatabaseRun]] : [])];
  const ratio = sqlite.ingest.requestsPerSecond / base.durable.requestsPerSecond;
  const lines = [
    '## Backend',
    '',
    `Real \`npm start\` processes (log level \`info\`, as by default: accepted ingest requests write no line; rate limits off), load from`,
    `[autocannon](https://github.com/mcollina/autocannon) in the benchmark process, everything on this one machine.`,
    `Data: ${int(LEADS)} leads and ${int(EVENTS)} events from a seeded generator (1-39 events per lead over a year, page`,
    `views with paths, email, webinar, download, form and demo events), aggregates and scores computed by the engine, each lead in`,
    `the account its email puts it in (7,919 company domains; a tenth of the leads at gmail.com, in none), bulk-loaded`,
    `into the tables (loading took ${secs(sqlite.loadMs)} on SQLite${pgRun ? `, ${secs(pgRun.loadMs)} on PostgreSQL` : ''}), then every account rolled up once, as migration 0010 leaves them.`,
    'Ingest runs first, on top of that data.',
    '',
    `### Ingest over HTTP: \`POST /collect\`, ${EVENTS_PER_REQUEST} events per request`,
    '',
    `${CONNECTIONS} connections, ${INGEST_SECONDS} s after ${WARMUP_SECONDS} s of warm-up, a new body per request: text/plain JSON as the tracker sends`,
    `it (${(sqlite.ingest.bodyBytes / 1024).toFixed(1)} KB on average), random messageIds like the tracker's; 80% of requests from new anonymous visitors, 20% from known visitors of loaded leads`,
    '(their scores are updated on ingest). Every answer was a 202. The baseline is the durable floor (bench/backend/durable-server.ts):',
    'node:http, JSON.parse, and the batch\'s events inserted as rows in SQLite (WAL, synchronous=NORMAL) in one transaction per commit',
    'group, deduplicated by messageId, on the same disk; the bare node:http server (reads the body, answers 202) is kept for information.',
    'All measured in the same run with the same load.',
    '',
    '| server | requests/s | events/s | latency p50 / p99 | of durable baseline | of bare node:http | budget |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ingestRow('bare node:http (reads the body, answers 202)', base.bare, base, ''),
    ingestRow('durable baseline (parse, one SQLite transaction per commit group)', base.durable, base, ''),
    ingestRow('leadscore on SQLite', sqlite.ingest, base, `>= 50% of durable (goal 70%): ${verdict(ratio >= 0.5)}`),
    ...(pgRun ? [ingestRow('leadscore on PostgreSQL, 1 instance', pgRun.ingest, base, ''), ingestRow('leadscore on PostgreSQL, 2 instances (load split)', pgRun.ingestTwo!, base, '')] : []),
    ...(pgRun?.workspaces
      ? [
          ingestRow(`leadscore on PostgreSQL, ${WORKSPACES} workspaces, 1 instance`, pgRun.workspaces.one, base, ''),
          ingestRow(`leadscore on PostgreSQL, ${WORKSPACES} workspaces, 2 instances`, pgRun.workspaces.two, base, `not slower than 1 instance: ${verdict(pgRun.workspaces.two.requestsPerSecond >= pgRun.workspaces.one.requestsPerSecond)}`),
        ]
      : []),
    '',
    `### Batch lookup: \`GET /api/leads?email=...\` with ${EMAILS_PER_LOOKUP} emails`,
    '',
    `${int(sqlite.lookup.requests)} lookups one at a time after ${LOOKUP_WARMUP} of warm-up; each asks for 40 emails of random leads (every fourth in upper`,
    'case) and 10 unknown ones, and found exactly the 40. Server time is what the server itself logs for the request: from its first',
    'middleware until the response is built (token check, model version, the lookup query, 40 summaries with decay applied, JSON);',
    'the client time adds HTTP over loopback. Each database is looked up right after its first ingest run, so both have the same',
    'amount of fresh writes behind them. Budgets: server p99 < 5 ms; PostgreSQL server p99 within 1.5x SQLite\'s.',
    '',
    '| database | server p50 | server p99 | server max | client p50 | client p99 | p99 vs SQLite | budget: p99 < 5 ms | budget: within 1.5x SQLite |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...runs.map(([name, r]) => {
      const ratio = r.lookup.server.p99 / sqlite.lookup.server.p99;
      const versus = r === sqlite ? '' : verdict(ratio <= 1.5);
      return `| ${name} | ${ms(r.lookup.server.p50)} | ${ms(r.lookup.server.p99)} | ${ms(r.lookup.server.max)} | ${ms(r.lookup.client.p50)} | ${ms(r.lookup.client.p99)} | ${ratio.toFixed(2)}x | ${verdict(r.lookup.server.p99 < 5)} | ${versus} |`;
    }),
    '',
    '### Full rescore: `PUT /api/model` (its rescore job, timed in the server from start to end)',
    '',
    'First a model whose half-life changed, so no stored aggregate fits and every lead is rebuilt from its events (the worst case);',
    'then one where only points changed, so every aggregate is reused and no event is read.',
    '',
    `The floor, in the same run: the engine alone scores the same leads' events from scratch under the same model in ${secs(engineMs)}`,
    '(bench/backend/engine-baseline.ts: no database, events already in memory). Budgets: a rebuild on SQLite at most 3x that',
    '(goal 2x); PostgreSQL at most 2x SQLite.',
    '',
    '| database | leads | events (with a lead) | rebuilt from events | x engine alone | x SQLite | aggregates reused | budget |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...runs.map(([name, r]) => {
      const vsEngine = r.rebuild.serverMs / engineMs;
      const vsSqlite = r.rebuild.serverMs / sqlite.rebuild.serverMs;
      const within = name === 'SQLite' ? vsEngine <= 3 : vsSqlite <= 2;
      return `| ${name} | ${int(r.rebuild.rescored)} | ${int(r.counts.events)} (${int(r.counts.eventsWithLead)}) | ${secs(r.rebuild.serverMs)} | ${vsEngine.toFixed(1)}x | ${vsSqlite.toFixed(2)}x | ${secs(r.reuse.serverMs)} | ${verdict(within)} |`;
    }),
    '',
    '### Memory',
    '',
    'Peak resident memory of the (first) server process (VmHWM), read after each phase; the last column is the peak of the whole run.',
    '',
    '| database | after ingest | after lookups | after both rescores (peak) |',
    '| --- | ---: | ---: | ---: |',
    ...runs.map(([name, r]) => `| ${name} | ${int(r.peakRssMiB.ingest)} MiB | ${int(r.peakRssMiB.lookups)} MiB | ${int(r.peakRssMiB.rescores)} MiB |`),
    '',
    ...(typeof postgres === 'string' ? [`PostgreSQL was not measured: ${postgres}.`, ''] : []),
    `Load average when the run started: ${load} (other work shares the cores: treat rates as lower bounds and times as upper bounds).`,
  ];
  return lines.join('\n');
}

export default async function run(): Promise<string> {
  const load = os.loadavg()[0]!.toFixed(2);
  const now = Date.now();
  const bare = await bareIngest();
  const durable = await durableIngest();
  const sqlite = await sqliteRun(now);
  const engineMs = engineFromScratchMs(rebuildingModel, now);
  const unreachable = await postgresProblem();
  const postgres = unreachable ? `${TEST_PG_URL} did not answer (${unreachable})` : await postgresRun(now);
  return report({ bare, durable }, sqlite, postgres, load, engineMs);
}
