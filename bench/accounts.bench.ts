/**
 * Accounts benchmark (`npm run bench -- accounts`): what the account roll-up adds to ingest and to
 * the full rescore (issue 18's budget: at most 20%). The same 100,000 leads and 2,000,000 events
 * as the backend bench, loaded twice: every lead at a business domain (companies of about five
 * people, so every save of a lead rolls its account up), and every lead at a free-mail domain (no
 * account, no roll-up). Both databases are served at once by real `npm start` processes and
 * measured in alternating rounds, so load from other work on the machine falls on both alike.
 * The rescore is the model change's job (as the backend bench runs it); the roll-up pass it ends
 * with is also timed alone. SQLite, then PostgreSQL when it answers.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL, type ScoringModel } from '../shared/index';
import { testSchema } from '../test/backend/support/postgres-schema';
import { postgresProblem, TEST_PG_URL } from '../test/support/env';
import { accountsDataSet, companies, type Companies, type Variant } from './accounts/data';
import { rollUpPass, type RollUpPass } from './accounts/roll-up-pass';
import { ORIGIN, setUp, type Setup } from './backend.bench';
import type { Block } from './backend/data';
import { EVENTS_PER_REQUEST, ingestLoad, KNOWN_SHARE } from './backend/ingest';
import { loadPostgres, loadSqlite } from './backend/load';
import { startBackend, type ServerProcess } from './backend/processes';
import { putModel } from './backend/rescore';
import { median } from './stats';

const RESCORES = Number(process.env.BENCH_ACCOUNTS_RESCORES ?? 3);
const ROUNDS = Number(process.env.BENCH_ACCOUNTS_ROUNDS ?? 6);
const ROUND_SECONDS = 5;
const WARMUP_SECONDS = 3;
const BUDGET = 0.2;

/** Who sends the ingest load: only known visitors of loaded leads (every request saves a lead), or the backend bench's mix. */
const MIXES = [
  { key: 'known', share: 1, label: 'every request from a known lead' },
  { key: 'mix', share: KNOWN_SHARE, label: `${KNOWN_SHARE * 100}% known leads, the rest new visitors (the backend bench's mix)` },
] as const;
type MixKey = (typeof MIXES)[number]['key'];

/** Rescore r rebuilds every aggregate: its half-life differs from the one before (the data starts on the default's 30 days). */
const rebuildingModel = (r: number): ScoringModel => ({ ...DEFAULT_MODEL, halfLifeDays: r % 2 === 0 ? 21 : 30 });
/** Then only points change: every aggregate is reused and no event is read. */
const pointsOnlyModel = (model: ScoringModel): ScoringModel => ({
  ...model,
  engagement: { ...model.engagement, rules: model.engagement.rules.map((rule) => ({ ...rule, points: rule.points * 2 })) },
});

/** Where one data set lives: a SQLite file or a PostgreSQL schema of its own. */
interface Place {
  url: string;
  load(setup: Setup, data: Iterable<Block>): Promise<void>;
  count(sql: string): Promise<number>;
  dispose(): Promise<void>;
}

interface Sample {
  ms: number;
  cpuMs: number;
}

interface IngestSample {
  requestsPerSecond: number;
  cpuMsPerRequest: number;
}

interface Side {
  variant: Variant;
  place: Place;
  setup: Setup;
  loadMs: number;
  server: ServerProcess;
  rebuild: Sample[];
  reuse: Sample[];
  rescored: number;
  ingest: Record<MixKey, IngestSample[]>;
  accounts: number;
  events: number;
}

interface DatabaseRun {
  name: string;
  sides: [Side, Side];
  rollUps: RollUpPass[];
  /** Accounts whose roll-up ran during the measured ingest rounds (scored_at moved). */
  rolledUpDuringIngest: number;
}

function sqlitePlace(now: number): Place {
  const dir = mkdtempSync(join(os.tmpdir(), 'leadscore-accounts-bench-'));
  const file = join(dir, 'bench.db');
  return {
    url: file,
    load: async (setup, data) => loadSqlite(file, setup, now, data),
    count: async (sql) => {
      const db = new Database(file, { readonly: true });
      try {
        return Number((db.prepare(sql).get() as { n: number }).n);
      } finally {
        db.close();
      }
    },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresPlace(now: number): Place {
  const schema = testSchema();
  return {
    url: schema.url,
    load: (setup, data) => loadPostgres(TEST_PG_URL, schema.schema, setup, now, data),
    count: async (sql) => Number((await schema.query<{ n: string }>(sql))[0]!.n),
    dispose: () => schema.drop(),
  };
}

/** `list` in order on even rounds and reversed on odd ones, so neither side always goes first. */
const alternating = <T>(list: readonly T[], round: number): T[] => (round % 2 === 0 ? [...list] : [...list].reverse());

async function timedOnServer(server: ServerProcess, work: () => Promise<number>): Promise<Sample> {
  const cpu = server.cpuMs();
  const ms = await work();
  return { ms, cpuMs: server.cpuMs() - cpu };
}

async function prepare(variant: Variant, grouping: Companies, place: Place, now: number): Promise<Omit<Side, 'server'>> {
  const setup = await setUp(place.url);
  const started = performance.now();
  await place.load(setup, accountsDataSet(variant, grouping, setup, now));
  const loadMs = performance.now() - started;
  // The loaded accounts are blank: their first roll-up, as the migration's backfill ends with one.
  if (variant === 'business') await rollUpPass(place.url, setup.workspaceId);
  const accounts = await place.count('select count(*) as n from accounts');
  return { variant, place, setup, loadMs, rebuild: [], reuse: [], rescored: 0, ingest: { known: [], mix: [] }, accounts, events: 0 };
}

async function rescores(sides: Side[]): Promise<void> {
  for (let r = 0; r < RESCORES; r++) {
    const model = rebuildingModel(r);
    for (const side of alternating(sides, r)) {
      const put = (m: ScoringModel) => async () => {
        const result = await putModel(side.server.url, side.setup.adminToken, m);
        side.rescored = result.rescored;
        return result.serverMs;
      };
      side.rebuild.push(await timedOnServer(side.server, put(model)));
      side.reuse.push(await timedOnServer(side.server, put(pointsOnlyModel(model))));
    }
  }
}

async function ingestRounds(sides: Side[]): Promise<void> {
  const runs = sides.flatMap((side) => MIXES.map((mix) => ({ side, mix })));
  const round = async ({ side, mix }: (typeof runs)[number], seconds: number): Promise<IngestSample> => {
    const cpu = side.server.cpuMs();
    const result = await ingestLoad([{ url: side.server.url, siteKey: side.setup.siteKey, origin: ORIGIN }], seconds, mix.share);
    if (result.failures > 0) throw new Error(`ingest on the ${side.variant} data set had ${result.failures} failed requests`);
    return { requestsPerSecond: result.requestsPerSecond, cpuMsPerRequest: (side.server.cpuMs() - cpu) / result.accepted };
  };
  for (const run of runs) await round(run, WARMUP_SECONDS);
  for (let r = 0; r < ROUNDS; r++) for (const run of alternating(runs, r)) run.side.ingest[run.mix.key].push(await round(run, ROUND_SECONDS));
}

async function databaseRun(name: string, newPlace: () => Place, grouping: Companies, now: number): Promise<DatabaseRun> {
  const prepared: Omit<Side, 'server'>[] = [];
  try {
    for (const variant of ['business', 'free-mail'] as const) prepared.push(await prepare(variant, grouping, newPlace(), now));
    const servers: ServerProcess[] = [];
    try {
      for (const side of prepared) servers.push(await startBackend(side.place.url));
      const sides = prepared.map((side, i) => ({ ...side, server: servers[i]! })) as [Side, Side];
      await rescores(sides);
      const business = sides[0];
      const rollUps: RollUpPass[] = [];
      for (let r = 0; r < RESCORES; r++) rollUps.push(await rollUpPass(business.place.url, business.setup.workspaceId));
      const ingestStarted = Date.now();
      await ingestRounds(sides);
      const rolledUpDuringIngest = await business.place.count(`select count(*) as n from accounts where scored_at >= ${ingestStarted}`);
      for (const side of sides) side.events = await side.place.count('select count(*) as n from events');
      return { name, sides, rollUps, rolledUpDuringIngest };
    } finally {
      for (const server of servers) await server.stop();
    }
  } finally {
    for (const side of prepared) await side.place.dispose();
  }
}

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const secs = (x: number) => `${(x / 1000).toFixed(2)} s`;
const added = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const verdict = (x: number) => (x <= BUDGET ? 'within' : '**over**');
const medianOf = <T>(xs: T[], f: (x: T) => number) => median(xs.map(f));

function rescoreRows(run: DatabaseRun): string[] {
  const [business, free] = run.sides;
  const row = (what: string, pick: (s: Side) => Sample[]) => {
    const b = medianOf(pick(business), (s) => s.ms);
    const f = medianOf(pick(free), (s) => s.ms);
    const bCpu = medianOf(pick(business), (s) => s.cpuMs);
    const fCpu = medianOf(pick(free), (s) => s.cpuMs);
    return `| ${run.name} | ${what} | ${secs(f)} | ${secs(b)} | ${added(b / f - 1)} | ${secs(fCpu)} / ${secs(bCpu)} (${added(bCpu / fCpu - 1)}) | ${verdict(b / f - 1)} |`;
  };
  return [row('rebuilt from events', (s) => s.rebuild), row('aggregates reused', (s) => s.reuse)];
}

function ingestRows(run: DatabaseRun): string[] {
  const [business, free] = run.sides;
  return MIXES.map((mix) => {
    const b = medianOf(business.ingest[mix.key], (s) => s.requestsPerSecond);
    const f = medianOf(free.ingest[mix.key], (s) => s.requestsPerSecond);
    const bCpu = medianOf(business.ingest[mix.key], (s) => s.cpuMsPerRequest);
    const fCpu = medianOf(free.ingest[mix.key], (s) => s.cpuMsPerRequest);
    // Added cost: time per request (the inverse of throughput) and CPU per request.
    return `| ${run.name} | ${mix.label} | ${int(f)} | ${int(b)} | ${added(f / b - 1)} | ${(fCpu * 1000).toFixed(0)} / ${(bCpu * 1000).toFixed(0)} us (${added(bCpu / fCpu - 1)}) | ${verdict(f / b - 1)} |`;
  });
}

function report(runs: DatabaseRun[], grouping: Companies, load: string, skipped: string | null): string {
  const sqlite = runs[0]!;
  const [business, free] = sqlite.sides;
  return [
    '## Accounts: what the roll-up adds to ingest and to the full rescore',
    '',
    `The backend bench's ${int(business.rescored)} leads and their events (same seed, events and attributes), loaded twice into databases of their own:`,
    `**business**, every lead at a company domain (\`person@companyN.com\`), ${int(grouping.count)} companies of 1-${grouping.largest} people`,
    `(mean ${(100_000 / grouping.count).toFixed(1)}; consecutive leads, sizes 1 + an exponential draw of mean 4), so each is an account and every save`,
    `of a lead rolls its account up; and **free-mail**, the same leads at gmail.com, yahoo.com, outlook.com, hotmail.com and icloud.com, where`,
    'no account forms and nothing rolls up. (Leads differ in one thing besides: the derived email domain type, which the default model scores as fit.)',
    'Both databases are served at once by real `npm start` processes (as in the backend bench) and measured in alternating rounds',
    '(the order flips every round), so other work on the 2 shared cores falls on both alike. Medians; "CPU" is the server process\'s',
    'own user + system time (/proc), which that other work disturbs far less than wall time. Budget (issue 18): the roll-up adds at most 20%.',
    '',
    `### Ingest over HTTP: \`POST /collect\`, ${EVENTS_PER_REQUEST} events per request`,
    '',
    `The backend bench's load (autocannon, 32 connections, tracker-shaped bodies, random messageIds), ${ROUNDS} rounds of ${ROUND_SECONDS} s per data set and mix after`,
    `${WARMUP_SECONDS} s of warm-up each. "Added" is the extra time per request on business leads (free-mail requests/s over business requests/s, minus 1).`,
    '',
    '| database | requests | free-mail req/s | business req/s | added | CPU per request, free / business | budget |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...runs.flatMap(ingestRows),
    '',
    `Accounts rolled up during the measured ingest (SQLite): ${int(sqlite.rolledUpDuringIngest)} of ${int(business.accounts)}.`,
    '',
    '### Full rescore: `PUT /api/model` (its rescore job, timed in the server from start to end)',
    '',
    `${RESCORES} rescores of each kind per data set, alternating: a half-life change (every aggregate rebuilt from the events), then a points-only change`,
    '(aggregates reused). The business rescore ends with `rollUpAllAccounts` over every account; the free-mail one has none to roll up.',
    '',
    '| database | rescore | free-mail | business | added | server CPU, free / business | budget |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...runs.flatMap(rescoreRows),
    '',
    '**The roll-up pass alone** (`rollUpAllAccounts`, every account, 500 per transaction, as the job runs it; in the bench process on the same',
    `database, ${RESCORES} times, median):`,
    '',
    '| database | accounts | time | per account | of the business rebuild | of the business reuse |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map((run) => {
      const ms = medianOf(run.rollUps, (r) => r.ms);
      const [b] = run.sides;
      return `| ${run.name} | ${int(run.rollUps[0]!.accounts)} | ${secs(ms)} | ${((ms / run.rollUps[0]!.accounts) * 1000).toFixed(0)} us | ${((ms / medianOf(b.rebuild, (s) => s.ms)) * 100).toFixed(0)}% | ${((ms / medianOf(b.reuse, (s) => s.ms)) * 100).toFixed(0)}% |`;
    }),
    '',
    `Loading (bulk, not timed above): ${runs.map((run) => `${run.name} ${secs(run.sides[0].loadMs)} business, ${secs(run.sides[1].loadMs)} free-mail`).join('; ')}.`,
    `Events at the end (SQLite): ${int(business.events)} business, ${int(free.events)} free-mail (ingest adds to the loaded 2,000,000).`,
    ...(skipped ? [`PostgreSQL was not measured: ${skipped}.`] : []),
    `Load average when the run started: ${load} on ${os.cpus().length} cores (other work shares them).`,
  ].join('\n');
}

export default async function run(): Promise<string> {
  const load = os.loadavg()[0]!.toFixed(2);
  const now = Date.now();
  const grouping = companies();
  const runs = [await databaseRun('SQLite', () => sqlitePlace(now), grouping, now)];
  const unreachable = process.env.BENCH_ACCOUNTS_SQLITE_ONLY ? 'skipped (BENCH_ACCOUNTS_SQLITE_ONLY)' : await postgresProblem();
  if (!unreachable) runs.push(await databaseRun('PostgreSQL', () => postgresPlace(now), grouping, now));
  return report(runs, grouping, load, unreachable ? `${TEST_PG_URL}: ${unreachable}` : null);
}
