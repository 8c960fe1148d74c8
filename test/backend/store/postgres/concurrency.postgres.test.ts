import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareEvents } from '../../../../backend/src/domain/events';
import { workspaceTransaction } from '../../../../backend/src/store/postgres/postgres-locks';
import { createPool } from '../../../../backend/src/store/postgres/postgres-pool';
import { PostgresStore } from '../../../../backend/src/store/postgres/postgres-store';
import type { Site, Store } from '../../../../backend/src/store/store';
import type { TrackedEvent } from '../../../../shared/index';
import { TEST_PG_URL, hasPostgres } from '../../../support/env';
import { testSchema, type TestSchema } from '../../support/postgres-schema';
import { outcomes, random, scenario } from '../../support/postgres-scenario';
import { NOW } from '../../support/app';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function fresh(): Promise<TestSchema> {
  const schema = testSchema();
  cleanup.push(() => schema.drop());
  return schema;
}

async function open(schema: TestSchema): Promise<PostgresStore> {
  const store = await PostgresStore.open(schema.url);
  cleanup.push(() => store.close());
  return store;
}

/** Runs the tasks with at most `limit` in flight. */
async function inParallel<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

const ingest = (store: Store, site: Site, batch: TrackedEvent[]) => store.ingest(site, prepareEvents(batch, NOW), NOW);

/** Rows that point at a lead that no longer exists: what a merge done twice or half would leave. */
async function orphans(schema: TestSchema) {
  const [row] = await schema.query<{ events: number; identities: number; stages: number; anonymous: number }>(`
    select (select count(*)::int from events e where e.lead_id is not null and not exists (select 1 from leads l where l.id = e.lead_id)) as events,
           (select count(*)::int from identities i where not exists (select 1 from leads l where l.id = i.lead_id)) as identities,
           (select count(*)::int from stage_changes s where not exists (select 1 from leads l where l.id = s.lead_id)) as stages,
           (select count(*)::int from events where lead_id is null) as anonymous`);
  return row;
}

describe.runIf(await hasPostgres())('PostgreSQL with several instances', () => {
  it('bootstraps an empty database once when several instances start together', async () => {
    const schema = await fresh();
    const stores = await Promise.all([open(schema), open(schema), open(schema)]);
    const firstStart = (store: Store) => store.onFirstStart(async () => {
      const workspace = await store.createWorkspace('Default workspace', NOW);
      await sleep(50); // widen the window in which an unguarded check-then-create would race
      return workspace.id;
    });
    const ran = (await Promise.all(stores.map(firstStart))).filter((id) => id !== undefined);
    expect(ran).toHaveLength(1);
    expect(await stores[0]!.listWorkspaces()).toHaveLength(1);
    expect(await stores[1]!.onFirstStart(async () => 'again')).toBeUndefined();
  });

  it('migrates once when several instances start at the same time on an empty schema beside another deployment', async () => {
    const other = await fresh(); // another deployment's tables in the same database must not fool the migrator
    await open(other);
    const schema = await fresh();
    const stores = await Promise.all([open(schema), open(schema), open(schema)]);
    const ws = await stores[0]!.createWorkspace('Acme', NOW);
    for (const store of stores) expect(await store.getWorkspace(ws.id)).toEqual(ws);
    const migrations = (s: TestSchema) => s.query<{ name: string }>('select name from kysely_migration order by name');
    expect(await migrations(schema)).toEqual(await migrations(other));
    expect((await migrations(schema)).length).toBeGreaterThan(0);
    const tables = await schema.query<{ n: number }>(`select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name = 'events'`, [schema.schema]);
    expect(tables[0]!.n).toBe(1);
  });

  it('two instances ingesting interleaved, retried batches end exactly where one instance does', async () => {
    const { people, batches, messageIds } = scenario(16, 7, NOW);

    const single = await fresh();
    const alone = await open(single);
    const aloneWs = await alone.createWorkspace('Acme', NOW);
    const aloneSite = await alone.createSite(aloneWs.id, ['*'], NOW);
    for (const batch of batches) await ingest(alone, aloneSite, batch);

    const shared = await fresh();
    const [a, b] = await Promise.all([open(shared), open(shared)]);
    const ws = await a.createWorkspace('Acme', NOW);
    const site = await a.createSite(ws.id, ['*'], NOW);
    const rand = random(11);
    const tasks = batches.flatMap((batch) => {
      const first = rand() < 0.5 ? a : b;
      const sends = [() => ingest(first, site, batch)];
      // A client retry after a lost response: the same messageIds again, often on the other instance.
      if (rand() < 0.5) sends.push(() => ingest(rand() < 0.7 ? (first === a ? b : a) : first, site, batch));
      return sends;
    });
    const results = await inParallel(tasks, 12);

    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(messageIds.size);
    const stored = await shared.query<{ message_id: string }>('select message_id from events');
    expect(stored).toHaveLength(messageIds.size);
    expect(new Set(stored.map((r) => r.message_id))).toEqual(messageIds);
    expect(await orphans(shared)).toEqual({ events: 0, identities: 0, stages: 0, anonymous: 0 });
    expect((await shared.query('select id from leads')).length).toBe(people.length);

    const expected = await outcomes(alone, aloneWs.id, people, NOW);
    expect(expected.every((o) => o.leadIds === 1 && o.score > 0)).toBe(true);
    expect(await outcomes(b, ws.id, people, NOW)).toEqual(expected);
  });

  it("runs one workspace's write transactions one at a time across instances, other workspaces beside them", async () => {
    const schema = await fresh();
    await open(schema); // creates the schema
    const [dbA, dbB] = [createPool(schema.url), createPool(schema.url)].map(({ pool }) => {
      const db = new Kysely<{ counter: { n: number } }>({ dialect: new PostgresDialect({ pool }) });
      cleanup.push(() => db.destroy());
      return db;
    }) as [Kysely<{ counter: { n: number } }>, Kysely<{ counter: { n: number } }>];
    await sql`create table counter (n int not null)`.execute(dbA);
    await sql`insert into counter values (0)`.execute(dbA);

    // Read, think, write: without the lock, concurrent increments would overwrite each other.
    const increment = (db: typeof dbA) =>
      workspaceTransaction(db, 'ws_1', async (trx) => {
        const { n } = await trx.selectFrom('counter').select('n').executeTakeFirstOrThrow();
        await sleep(2);
        await trx.updateTable('counter').set({ n: n + 1 }).execute();
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => increment(i % 2 ? dbA : dbB)));
    expect((await dbA.selectFrom('counter').select('n').executeTakeFirstOrThrow()).n).toBe(20);

    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = workspaceTransaction(dbA, 'ws_1', async () => {
      order.push('A starts');
      await held;
      order.push('A ends');
    });
    while (!order.includes('A starts')) await sleep(5);
    const second = workspaceTransaction(dbB, 'ws_1', async () => void order.push('B starts'));
    await workspaceTransaction(dbB, 'ws_2', async () => void order.push('other workspace'));
    await sleep(300);
    expect(order).toEqual(['A starts', 'other workspace']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['A starts', 'other workspace', 'A ends', 'B starts']);
  });

  it('runs one full rescore at a time across instances, guarded by an advisory lock', async () => {
    const schema = await fresh();
    const [a, b] = await Promise.all([open(schema), open(schema)]);
    const ws = await a.createWorkspace('Acme', NOW);
    const site = await a.createSite(ws.id, ['*'], NOW);
    const leads = 2_500; // three rescore transactions of 1,000 leads
    for (let i = 0; i < leads; i += 100) {
      const batch = Array.from({ length: 100 }, (_, j): TrackedEvent => ({
        type: 'identify',
        messageId: `id-${i + j}`,
        timestamp: new Date(NOW - 60_000).toISOString(),
        anonymousId: `v-${i + j}`,
        traits: { email: `lead${i + j}@acme.com` },
      }));
      await ingest(a, site, batch);
    }
    const scoredAt = async () =>
      Object.fromEntries((await schema.query<{ scored_at: string; n: number }>('select scored_at, count(*)::int as n from leads group by scored_at')).map((r) => [Number(r.scored_at), r.n]));

    // Someone else (another instance, stood in for by this connection) holds the rescore lock.
    const holder = new pg.Client({ connectionString: TEST_PG_URL, options: `-c search_path=${schema.schema}` });
    await holder.connect();
    cleanup.push(() => holder.end());
    const key = `hashtextextended(current_schema() || ':rescore:' || $1, 0)`;
    await holder.query(`select pg_advisory_lock(${key})`, [ws.id]);

    const settled: string[] = [];
    const first = a.rescoreAll(ws.id, NOW + 1).then((n) => (settled.push('a'), n));
    const second = b.rescoreAll(ws.id, NOW + 2).then((n) => (settled.push('b'), n));
    await sleep(600);
    expect(settled).toEqual([]);
    expect(await scoredAt()).toEqual({ [NOW]: leads });

    // Released: both run, one after the other. Sample who holds the lock and what is written.
    await holder.query(`select pg_advisory_unlock(${key})`, [ws.id]);
    const holders: number[] = [];
    const states: Record<number, number>[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rows = await holder.query<{ pid: number }>(`select pid from pg_locks where locktype = 'advisory' and granted and classid = ((${key} >> 32) & 4294967295)::oid and objid = (${key} & 4294967295)::oid`, [ws.id]);
        expect(rows.rows.length).toBeLessThanOrEqual(1);
        const pid = rows.rows[0]?.pid;
        if (pid !== undefined && holders.at(-1) !== pid) holders.push(pid);
        states.push(await scoredAt());
        await sleep(5);
      }
    })();
    expect(await Promise.all([first, second])).toEqual([leads, leads]);
    sampling = false;
    await sampler;

    expect(new Set(holders).size).toBe(holders.length); // each instance held it once, in turn
    const final = await scoredAt();
    expect(Object.values(final)).toEqual([leads]); // the one that ran second rewrote every lead
    const last = Number(Object.keys(final)[0]);
    expect([NOW + 1, NOW + 2]).toContain(last);
    // Never a mix of the starting scores with both rescores' (which interleaved chunks would show).
    for (const state of states) expect(Object.keys(state).length).toBeLessThanOrEqual(2);
  });
});
