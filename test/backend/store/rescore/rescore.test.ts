import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  absorbEvents,
  compileModel,
  DEFAULT_MODEL,
  emptyAggregate,
  scoreLead,
  type LeadAttributes,
  type Outcome,
  type ScorableEvent,
  type ScoringModel,
  type Stage,
} from '../../../../shared/index';
import { prepareEvents } from '../../../../backend/src/domain/events';
import { postgresDialect, sqliteDialect } from '../../../../backend/src/store/sql/dialect';
import { PostgresStore } from '../../../../backend/src/store/postgres/postgres-store';
import { createPool } from '../../../../backend/src/store/postgres/postgres-pool';
import { postgresRescoreIO } from '../../../../backend/src/store/rescore/postgres-rescore-io';
import { rescoreWorkspace, type RescoreIO } from '../../../../backend/src/store/rescore/rescore-workspace';
import { eventPlan } from '../../../../backend/src/store/rescore/event-plan';
import type { RescoreBatch } from '../../../../backend/src/store/rescore/lead-range';
import type { Database } from '../../../../backend/src/store/sql/schema';
import { ModelCache } from '../../../../backend/src/store/leads/score-lead';
import { SqliteStore } from '../../../../backend/src/store/sqlite/sqlite-store';
import { sqliteRescoreIO } from '../../../../backend/src/store/rescore/sqlite-rescore-io';
import { openReader, SqliteRescoreSource } from '../../../../backend/src/store/rescore/sqlite-rescore-source';
import { CachingSqliteDialect } from '../../../../backend/src/store/sqlite/sqlite-driver';
import type { Store, Workspace } from '../../../../backend/src/store/store';
import { hasPostgres } from '../../../support/env';
import { testSchema } from '../../support/postgres-schema';
import { dataset, rebuildingModel, withOtherPoints, type Dataset, type EventRow, type LeadRow } from '../../support/rescore-data';
import { NOW, tempDir } from '../../support/app';
import { putModelAndRescore } from '../../support/jobs';

const actor = { name: 'ops' };

/** A store over real tables, with raw access to them beside the store. */
interface Harness {
  store: Store;
  /** The database file, for SQLite. */
  file?: string;
  /** Writes rows straight into the tables, as a bulk import would. */
  load(data: Dataset): Promise<void>;
  /** The workspace's leads (by id) and events (in storage order), as stored. */
  read(workspaceId: string): Promise<{ leads: LeadRow[]; events: EventRow[] }>;
  /** Rescores with the store's own reads and writes, calling `meddle` between the first batch's scoring and its write. */
  rescoreMeddling(workspaceId: string, now: number, meddle: (batch: RescoreBatch<unknown>) => Promise<void>): Promise<number>;
  close(): Promise<void>;
}

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

/** Stops after the first batch is scored to let the test change leads before it is written. */
function meddling<G>(io: RescoreIO<G>, meddle: (batch: RescoreBatch<unknown>) => Promise<void>): RescoreIO<G> {
  return {
    async *rescore(compiled, range, now) {
      let first = true;
      for await (const batch of io.rescore(compiled, range, now)) {
        if (first) await meddle(batch);
        first = false;
        yield batch;
      }
    },
    write: (trx, scored, now, version) => io.write(trx, scored, now, version),
  };
}

const numeric = <T extends object>(row: T, keys: (keyof T)[]): T => ({ ...row, ...Object.fromEntries(keys.map((k) => [k, Number(row[k])])) });

async function sqliteHarness(workersFrom: number): Promise<Harness> {
  const tmp = tempDir();
  const file = join(tmp.dir, 'rescore.db');
  const store = await SqliteStore.open(file, { rescoreWorkersFrom: workersFrom });
  const raw = new BetterSqlite3(file);
  const insert = (table: string, rows: object[]) => {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    const statement = raw.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
    raw.transaction(() => rows.forEach((row) => statement.run(row)))();
  };
  return {
    store,
    file,
    async load(data) {
      insert('leads', data.leads);
      insert('identities', data.identities);
      // Some times with a fraction, stored as REALs: the event pass reads them as text, which must not round.
      insert('events', data.events.map((e, i) => (i % 7 === 0 ? { ...e, at: e.at + 0.123 } : e)));
    },
    async read(workspaceId) {
      const leads = raw.prepare('select * from leads where workspace_id = ? order by id').all(workspaceId) as LeadRow[];
      const events = raw.prepare('select * from events where workspace_id = ? order by id').all(workspaceId) as EventRow[];
      return { leads, events };
    },
    async rescoreMeddling(workspaceId, now, meddle) {
      const main = new BetterSqlite3(file);
      const reader = openReader(file);
      try {
        const db = new Kysely<Database>({ dialect: new CachingSqliteDialect(main) });
        const io = sqliteRescoreIO(main, { source: new SqliteRescoreSource(reader), file, workersFrom, checkpoint: () => {} });
        return await rescoreWorkspace(db, sqliteDialect, new ModelCache(), workspaceId, now, meddling(io, meddle));
      } finally {
        reader.close();
        main.close();
      }
    },
    async close() {
      raw.close();
      await store.close();
      tmp.remove();
    },
  };
}

async function postgresHarness(): Promise<Harness> {
  const schema = testSchema();
  const store = await PostgresStore.open(schema.url);
  const LEAD_TIMES = ['scored_at', 'created_at', 'updated_at'] as const;
  return {
    store,
    async load(data) {
      for (const table of ['leads', 'identities', 'events'] as const) {
        if (data[table].length) await schema.query(`insert into ${table} select * from json_populate_recordset(null::${table}, $1::json)`, [JSON.stringify(data[table])]);
      }
      await schema.query(`select setval(pg_get_serial_sequence('events', 'id'), (select max(id) from events))`);
    },
    async read(workspaceId) {
      const leads = await schema.query<LeadRow>('select * from leads where workspace_id = $1 order by id', [workspaceId]);
      const events = await schema.query<EventRow>('select * from events where workspace_id = $1 order by id', [workspaceId]);
      return { leads: leads.map((l) => numeric(l, [...LEAD_TIMES])), events: events.map((e) => numeric(e, ['id', 'at', 'received_at'])) };
    },
    async rescoreMeddling(workspaceId, now, meddle) {
      const { pool } = createPool(schema.url);
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      try {
        return await rescoreWorkspace(db, postgresDialect, new ModelCache(), workspaceId, now, meddling(postgresRescoreIO(db), meddle));
      } finally {
        await db.destroy();
      }
    },
    async close() {
      await store.close();
      await schema.drop();
    },
  };
}

async function workspace(store: Store, name: string): Promise<{ ws: Workspace; siteId: string }> {
  const ws = await store.createWorkspace(name, NOW);
  const site = await store.createSite(ws.id, ['https://acme.test'], NOW);
  return { ws, siteId: site.id };
}

function scorable(e: EventRow): ScorableEvent {
  return { event: e.name, properties: e.properties ? (JSON.parse(e.properties) as Record<string, unknown>) : undefined, at: e.at };
}

/**
 * What every lead of the workspace must hold after a rescore at `now`: the engine's score of its
 * stored events from scratch, absorbed in storage order as ingest absorbed them (in time order
 * for the leads in `rebuiltByTime`, whose aggregate ingest or an edit rebuilt), starting from its
 * stage before. `builtBy` is the model and time the aggregates were built with, when earlier.
 */
async function expectScoredFromScratch(
  h: Harness,
  workspaceId: string,
  model: ScoringModel,
  before: LeadRow[],
  now: number,
  options: { builtBy?: { model: ScoringModel; now: number }; rebuiltByTime?: Set<string> } = {},
) {
  const { leads, events } = await h.read(workspaceId);
  const expected = leads.map((lead) => {
    const prior = before.find((l) => l.id === lead.id)!;
    let history = events.filter((e) => e.lead_id === lead.id);
    if (options.rebuiltByTime?.has(lead.id)) history = history.sort((a, b) => a.at - b.at || a.id - b.id);
    const scorables = history.map(scorable);
    const attributes = Object.fromEntries(Object.entries(JSON.parse(lead.attributes) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value])) as LeadAttributes;
    const result = scoreLead(model, { email: lead.email, attributes, stage: prior.stage as Stage, outcome: lead.outcome as Outcome | null }, scorables, now);
    const built = options.builtBy ?? { model, now };
    return {
      id: lead.id,
      aggregate: absorbEvents(built.model, emptyAggregate(built.model), scorables, built.now),
      stage: result.stage,
      score: result.score,
      fit: result.fit,
      engagement: result.engagement,
      tier: result.tier,
      grade: result.grade,
      scoredAt: now,
    };
  });
  const actual = leads.map((l) => ({ id: l.id, aggregate: JSON.parse(l.aggregate), stage: l.stage, score: l.score, fit: l.fit, engagement: l.engagement, tier: l.tier, grade: l.grade, scoredAt: l.scored_at }));
  expect(actual).toEqual(expected);
  // The data must exercise the rules: most leads have events they count.
  if (model.engagement.rules.length > 0) expect(expected.filter((l) => l.aggregate.rules.some((t) => t.n > 0)).length).toBeGreaterThan(leads.length / 2);
  return expected;
}

const backends: [string, () => Promise<boolean>, () => Promise<Harness>][] = [
  ['SQLite, on the main thread', async () => true, () => sqliteHarness(1_000_000)],
  ['SQLite, on worker threads', async () => true, () => sqliteHarness(0)],
  ['PostgreSQL', hasPostgres, postgresHarness],
];

for (const [name, available, open] of backends) {
  describe.runIf(await available())(`full rescore: ${name}`, () => {
    it('rebuilds every stale aggregate exactly as scoring the stored events from scratch, then reuses them when only points change', async () => {
      const h = await open();
      harnesses.push(h);
      const { ws, siteId } = await workspace(h.store, 'Acme');
      const other = await workspace(h.store, 'Globex');
      // Event ids spread over several read chunks (32,768 ids each).
      await h.load(dataset(11, { workspaceId: ws.id, siteId }, 60, 10, { firstId: 1, idSpan: 150_000 }));
      await h.load(dataset(12, { workspaceId: other.ws.id, siteId: other.siteId }, 8, 5, { firstId: 150_001, idSpan: 1_000 }));
      const untouched = await h.read(other.ws.id);

      const models = [rebuildingModel(21, false), rebuildingModel(22, true), { ...DEFAULT_MODEL, engagement: { max: 50, rules: [] }, stages: { MQL: [{ minScore: 20 }], SQL: [{ minScore: 40 }] } }, rebuildingModel(23, false)];
      let now = NOW;
      let last: ScoringModel = DEFAULT_MODEL;
      for (const model of models) {
        const before = (await h.read(ws.id)).leads;
        now += 60_000;
        const put = await putModelAndRescore(h.store, ws.id, model, actor, now);
        expect(put.job).toMatchObject({ state: 'done', done: 60, total: 60 });
        const scored = await expectScoredFromScratch(h, ws.id, put.model, before, now);
        const moved = scored.filter((l) => l.stage !== before.find((b) => b.id === l.id)!.stage);
        for (const lead of moved) expect((await h.store.stageHistory(ws.id, lead.id)).at(-1)).toMatchObject({ to: lead.stage, at: now });
        last = put.model;
      }

      const before = (await h.read(ws.id)).leads;
      const put = await putModelAndRescore(h.store, ws.id, withOtherPoints(last), actor, now + 1);
      expect(put.job).toMatchObject({ state: 'done', done: 60, total: 60 });
      await expectScoredFromScratch(h, ws.id, put.model, before, now + 1, { builtBy: { model: last, now } });
      expect(await h.read(other.ws.id)).toEqual(untouched);
    });

    it('rescores a lead that changes or goes while the rescore runs from its row as it is when written', async () => {
      const h = await open();
      harnesses.push(h);
      const { ws, siteId } = await workspace(h.store, 'Acme');
      // The model first, rescoring no one; then leads whose aggregates were built for another.
      const stored = await h.store.putModel(ws.id, { ...DEFAULT_MODEL, halfLifeDays: 21 }, actor, NOW);
      const data = dataset(31, { workspaceId: ws.id, siteId }, 40, 8, { firstId: 1, idSpan: 40_000 });
      await h.load(data);
      const before = (await h.read(ws.id)).leads;

      const now = NOW + 60_000;
      const changed = new Set<string>();
      let erased = '';
      const site = (await h.store.listSites(ws.id))[0]!;
      const rescored = await h.rescoreMeddling(ws.id, now, async (batch) => {
        const [patched, ingested, gone] = batch.scored.map((l) => l.id);
        const industry = JSON.parse(before.find((l) => l.id === patched)!.attributes).industry.value === 'Software' ? 'Retail' : 'Software';
        await h.store.patchLead(ws.id, patched!, { attributes: { industry } }, actor, now);
        const email = data.leads.find((l) => l.id === ingested)!.email!;
        await h.store.ingest(site, prepareEvents([{ type: 'track', event: 'Webinar Attended', messageId: 'late-1', timestamp: new Date(NOW).toISOString(), userId: email }], now), now);
        await h.store.eraseLead(ws.id, gone!);
        changed.add(patched!).add(ingested!);
        erased = gone!;
      });
      expect(rescored).toBe(39);
      expect((await h.read(ws.id)).leads.map((l) => l.id)).not.toContain(erased);
      await expectScoredFromScratch(h, ws.id, stored.model, before, now, { rebuiltByTime: changed });
    });
  });
}

describe('full rescore: SQLite in memory', () => {
  it('reads between the store\'s transactions on its one connection', async () => {
    const store = await SqliteStore.open(':memory:');
    try {
      const { ws, siteId } = await workspace(store, 'Acme');
      const site = (await store.listSites(ws.id)).find((s) => s.id === siteId)!;
      const day = 86_400_000;
      const history = [
        { type: 'identify' as const, traits: { email: 'ann@acme.test' }, at: NOW - 9 * day },
        { type: 'page' as const, context: { page: { path: '/pricing' } }, at: NOW - 8 * day },
        { type: 'track' as const, event: 'Webinar Attended', at: NOW - 3 * day },
      ];
      const batch = history.map(({ at, ...e }, i) => ({ ...e, messageId: `m${i}`, anonymousId: 'v1', timestamp: new Date(at).toISOString() }));
      await store.ingest(site, prepareEvents(batch, NOW), NOW);
      const put = await putModelAndRescore(store, ws.id, { ...DEFAULT_MODEL, halfLifeDays: 7 }, actor, NOW + 1);
      expect(put.job).toMatchObject({ state: 'done', done: 1, total: 1 });
      const lead = (await store.findLeadsByEmails(ws.id, ['ann@acme.test'])).get('ann@acme.test')!;
      const { events } = await store.timeline(ws.id, lead.id, { limit: 10 });
      const scorables = events.reverse().map((e) => ({ event: e.name, properties: e.properties, at: e.at }));
      const expected = scoreLead(put.model, { email: lead.email, attributes: { emailDomainType: 'business' }, stage: 'Prospect' }, scorables, NOW + 1);
      expect({ score: lead.score, engagement: lead.engagement, scoredAt: lead.scoredAt }).toEqual({ score: expected.score, engagement: expected.engagement, scoredAt: NOW + 1 });
      expect(lead.engagement).toBeGreaterThan(10);
    } finally {
      await store.close();
    }
  });
});

describe.runIf(availableParallelism() >= 2)('full rescore: SQLite worker threads', () => {
  it('fail the rescore when one cannot read, without waiting for the others', async () => {
    const h = await sqliteHarness(0);
    harnesses.push(h);
    const { ws, siteId } = await workspace(h.store, 'Acme');
    await h.load(dataset(41, { workspaceId: ws.id, siteId }, 10, 5, { firstId: 1, idSpan: 100 }));
    const main = new BetterSqlite3(h.file!);
    const reader = openReader(h.file!);
    try {
      const missing = join(h.file!, '..', 'missing', 'rescore.db');
      const io = sqliteRescoreIO(main, { source: new SqliteRescoreSource(reader), file: missing, workersFrom: 0, checkpoint: () => {} });
      const drain = async () => {
        for await (const _ of io.rescore(compileModel({ ...DEFAULT_MODEL, halfLifeDays: 5 }), { workspaceId: ws.id, after: null, until: null }, NOW));
      };
      await expect(drain()).rejects.toThrow(/directory does not exist|unable to open/);
    } finally {
      reader.close();
      main.close();
    }
  });
});

describe.runIf(availableParallelism() >= 2)('full rescore: SQLite when a write fails', () => {
  it('stops the workers and lets checkpoints run again', async () => {
    const h = await sqliteHarness(0);
    harnesses.push(h);
    const { ws, siteId } = await workspace(h.store, 'Acme');
    await h.store.putModel(ws.id, { ...DEFAULT_MODEL, halfLifeDays: 5 }, actor, NOW);
    await h.load(dataset(51, { workspaceId: ws.id, siteId }, 10, 5, { firstId: 1, idSpan: 100 }));
    const main = new BetterSqlite3(h.file!);
    const reader = openReader(h.file!);
    try {
      const db = new Kysely<Database>({ dialect: new CachingSqliteDialect(main) });
      const io = sqliteRescoreIO(main, { source: new SqliteRescoreSource(reader), file: h.file!, workersFrom: 0, checkpoint: () => {} });
      const failing: RescoreIO<unknown> = { rescore: (...args) => io.rescore(...args), write: async () => Promise.reject(new Error('disk full')) };
      await expect(rescoreWorkspace(db, sqliteDialect, new ModelCache(), ws.id, NOW, failing)).rejects.toThrow('disk full');
      expect(main.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      reader.close();
      main.close();
    }
  });
});

describe('the event pass reads', () => {
  it('only the properties conditions read, or all of them when a key cannot be named in a JSON path', () => {
    const withWhere = (props: string[]) =>
      eventPlan(
        compiledWith([
          { id: 'a', label: 'A', event: 'Page Viewed', where: props.map((prop) => ({ prop, op: 'exists' as const })), points: 1 },
          { id: 'b', label: 'B', event: ['Email Opened', 'Page Viewed'], points: 1 },
        ]),
      );
    expect(withWhere(['page.path', 'page', 'amount', 'page.url'])).toEqual({ names: ['Page Viewed', 'Email Opened'], withProperties: ['Page Viewed'], paths: [['page'], ['amount']] });
    expect(withWhere(['utm-source']).paths).toBeNull();
    expect(withWhere(['a.0']).paths).toBeNull();
    expect(withWhere(['__proto__']).paths).toBeNull();
    expect(withWhere([]).withProperties).toEqual([]);
  });
});

function compiledWith(rules: ScoringModel['engagement']['rules']) {
  return compileModel({ ...DEFAULT_MODEL, engagement: { max: 50, rules }, stages: { MQL: [{ minScore: 50 }], SQL: [{ minScore: 80 }] } });
}
