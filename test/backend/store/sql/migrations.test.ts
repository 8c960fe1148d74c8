import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareEvents } from '../../../../backend/src/domain/events';
import { postgresDialect, sqliteDialect, type SqlDialect } from '../../../../backend/src/store/sql/dialect';
import { migrateTo } from '../../../../backend/src/store/sql/migrations';
import { PostgresStore } from '../../../../backend/src/store/postgres/postgres-store';
import { createPool } from '../../../../backend/src/store/postgres/postgres-pool';
import { SqliteStore } from '../../../../backend/src/store/sqlite/sqlite-store';
import { CachingSqliteDialect } from '../../../../backend/src/store/sqlite/sqlite-driver';
import { KyselyTenancy } from '../../../../backend/src/store/tenancy/tenancy';
import type { Site, Store } from '../../../../backend/src/store/store';
import type { TrackedEvent } from '../../../../shared/index';
import { hasPostgres } from '../../../support/env';
import { testSchema } from '../../support/postgres-schema';
import { tempDir } from '../../support/app';

const NOW = Date.parse('2026-05-01T12:00:00Z');

/** A database as the release before 0003 left it, and how to open it with today's store. */
interface OldRelease {
  db: Kysely<any>;
  dialect: SqlDialect;
  open(): Promise<Store>;
  /** Read over a connection of the test's own. */
  storedEvents(): Promise<{ id: number; message_id: string; actor: string }[]>;
  /** The CREATE INDEX statement of an index, as the database keeps it. */
  indexDefinition(name: string): Promise<string>;
  cleanUp(): Promise<void>;
}

const STORED_EVENTS = 'select id, message_id, actor from events order by id';

const page = (messageId: string, ids: Pick<TrackedEvent, 'anonymousId' | 'userId'>): TrackedEvent => ({
  type: 'page',
  messageId,
  timestamp: new Date(NOW - 60_000).toISOString(),
  ...ids,
  context: { page: { path: '/pricing' } },
});

/**
 * 0003: events stored under 0001's (site, messageId) key must be found as duplicates under 0003's
 * (workspace, actor, messageId, site) key, keep their ids, and leave new ids above theirs.
 */
function describeMigrations(name: string, oldRelease: () => Promise<OldRelease>) {
  describe(`migrations of stored data on ${name}`, () => {
    let old: OldRelease | undefined;
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      await old?.cleanUp();
      store = old = undefined;
    });

    it('0003 keeps stored events, which retries then find as duplicates', async () => {
      old = await oldRelease();
      await migrateTo(old.db, old.dialect, '0002_leads_by_workspace');
      const tenancy = new KyselyTenancy(old.db);
      const workspace = await tenancy.createWorkspace('Old', NOW);
      const site: Site = await tenancy.createSite(workspace.id, ['https://old.test'], NOW);
      const stored = [page('m-visitor', { anonymousId: 'v-1' }), page('m-server', { userId: 'crm-7' })];
      const row = (e: ReturnType<typeof prepareEvents>[number]) => ({
        workspace_id: workspace.id,
        site_id: site.id,
        message_id: e.messageId,
        type: e.type,
        name: e.name,
        anonymous_id: e.anonymousId,
        user_id: e.userId,
        lead_id: null,
        properties: JSON.stringify(e.properties),
        context: null,
        at: e.at,
        received_at: NOW,
      });
      const ids = (await old.db.insertInto('events').values(prepareEvents(stored, NOW).map(row)).returning('id').execute()).map((r) => Number(r.id));
      await old.db.destroy();

      store = await old.open();
      expect(await store.ingest(site, prepareEvents(stored, NOW), NOW)).toEqual({ accepted: 0, duplicates: 2 });
      expect(await store.ingest(site, prepareEvents([page('m-new', { anonymousId: 'v-1' })], NOW), NOW)).toEqual({ accepted: 1, duplicates: 0 });

      const events = await old.storedEvents();
      expect(events.map((e) => [e.message_id, e.actor])).toEqual([
        ['m-visitor', 'v-1'],
        ['m-server', 'crm-7'],
        ['m-new', 'v-1'],
      ]);
      expect(events.map((e) => Number(e.id)).slice(0, 2)).toEqual(ids);
      expect(Number(events[2]!.id)).toBeGreaterThan(Math.max(...ids));
    });

    // 0010: leads stored before accounts go into their accounts, rolled up, when the release with accounts opens the database.
    it('0010 puts every stored lead in its account and rolls the accounts up', async () => {
      old = await oldRelease();
      await migrateTo(old.db, old.dialect, '0009_webhooks');
      const workspace = await new KyselyTenancy(old.db).createWorkspace('Old', NOW);
      const lead = (email: string, type: string, engagement: number) => ({
        id: `ld_${email.split('@')[0]}`,
        workspace_id: workspace.id,
        email,
        name: null,
        linkedin_url: null,
        attributes: JSON.stringify({ emailDomainType: { value: type, setBy: 'system', setAt: NOW } }),
        stage: 'Prospect',
        outcome: null,
        outcome_at: null,
        aggregate: JSON.stringify({ format: 1, modelVersion: 1, fingerprint: 'old', rules: [] }),
        score: engagement,
        fit: 0,
        engagement,
        tier: 'Cold',
        grade: 'D',
        scored_at: NOW,
        model_version: 1,
        created_at: NOW,
        updated_at: NOW,
      });
      await old.db.insertInto('leads').values([lead('ann@acme.com', 'business', 11), lead('bo@acme.com', 'business', 10), lead('pat@gmail.com', 'free', 20)]).execute();
      await old.db.destroy();

      store = await old.open();
      const accountOf = async (id: string) => (await store!.getLead(workspace.id, id))!.accountId;
      expect(await accountOf('ld_pat')).toBeNull();
      const accountId = (await accountOf('ld_ann'))!;
      expect(await accountOf('ld_bo')).toBe(accountId);
      // 11 + 10 from the top people, two engaged x 5: 31.
      expect(await store.getAccount(workspace.id, accountId)).toMatchObject({ domain: 'acme.com', people: 2, peopleEngaged: 2, engagement: 31, score: 31, tier: 'Cold' });
    });

    it("0011 keeps anonymous events out of the by-lead index, and a lead's events are still read in order", async () => {
      old = await oldRelease();
      await migrateTo(old.db, old.dialect, '0010_accounts');
      expect(await old.indexDefinition('events_by_lead')).not.toMatch(/where/i);
      await old.db.destroy();
      store = await old.open();
      expect(await old.indexDefinition('events_by_lead')).toMatch(/where \(?"?lead_id"? is not null\)?/i);
      const workspace = await store.createWorkspace('New', NOW);
      const site = await store.createSite(workspace.id, ['https://acme.test'], NOW);
      const identify: TrackedEvent = { type: 'identify', messageId: 'm-id', timestamp: new Date(NOW - 30_000).toISOString(), anonymousId: 'v1', traits: { email: 'ann@acme.test' } };
      await store.ingest(site, prepareEvents([page('m-anon', { anonymousId: 'v2' }), page('m-1', { anonymousId: 'v1' }), identify], NOW), NOW);
      const ann = (await store.findLeadsByEmails(workspace.id, ['ann@acme.test'])).get('ann@acme.test')!;
      const { events } = await store.timeline(workspace.id, ann.id, { limit: 10 });
      expect(events.map((e) => e.type)).toEqual(['identify', 'page']);
    });
  });
}

const sqliteRelease = async (): Promise<OldRelease> => {
  const dir = tempDir();
  const file = join(dir.dir, 'old.db');
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  return {
    db: new Kysely<any>({ dialect: new CachingSqliteDialect(sqlite) }),
    dialect: sqliteDialect,
    open: () => SqliteStore.open(file),
    storedEvents: async () => {
      const reader = new Database(file, { readonly: true });
      try {
        return reader.prepare(STORED_EVENTS).all() as { id: number; message_id: string; actor: string }[];
      } finally {
        reader.close();
      }
    },
    indexDefinition: async (name) => {
      const reader = new Database(file, { readonly: true });
      try {
        return (reader.prepare('select sql from sqlite_master where name = ?').get(name) as { sql: string }).sql;
      } finally {
        reader.close();
      }
    },
    cleanUp: async () => dir.remove(),
  };
};

describeMigrations('SQLite', sqliteRelease);

describe.runIf(await hasPostgres())('PostgreSQL', () => {
  const postgresRelease = async (): Promise<OldRelease> => {
    const schema = testSchema();
    await schema.query(`create schema ${schema.schema}`);
    const { pool } = createPool(schema.url);
    return {
      db: new Kysely<any>({ dialect: new PostgresDialect({ pool }) }),
      dialect: postgresDialect,
      open: () => PostgresStore.open(schema.url),
      storedEvents: () => schema.query(STORED_EVENTS) as Promise<{ id: number; message_id: string; actor: string }[]>,
      indexDefinition: async (name) => (await schema.query<{ indexdef: string }>('select indexdef from pg_indexes where schemaname = $1 and indexname = $2', [schema.schema, name]))[0]!.indexdef,
      cleanUp: () => schema.drop(),
    };
  };
  describeMigrations('PostgreSQL', postgresRelease);
});
