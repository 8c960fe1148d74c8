import { Migrator, sql, type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { SqlDialect } from './dialect';
import { createWebhookTables } from '../webhooks/webhook-migration';
import { backfillAccounts, createAccountTables } from '../accounts/account-migration';

/** Every schema change, in order. The same code runs on SQLite and PostgreSQL. */
function migrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001_initial': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('workspaces')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('link_secret', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('sites')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull().unique())
          .addColumn('origins', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('label', 'text')
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('revoked_at', 'bigint')
          .execute();

        await db.schema
          .createTable('models')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('models_pk', ['workspace_id', 'version'])
          .execute();

        await db.schema
          .createTable('leads')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('email', 'text')
          .addColumn('name', 'text')
          .addColumn('linkedin_url', 'text')
          .addColumn('attributes', 'text', (c) => c.notNull())
          .addColumn('stage', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text')
          .addColumn('aggregate', 'text', (c) => c.notNull())
          .addColumn('score', 'double precision', (c) => c.notNull())
          .addColumn('fit', 'double precision', (c) => c.notNull())
          .addColumn('engagement', 'double precision', (c) => c.notNull())
          .addColumn('tier', 'text', (c) => c.notNull())
          .addColumn('grade', 'text', (c) => c.notNull())
          .addColumn('scored_at', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('leads_by_score').on('leads').columns(['workspace_id', 'score']).execute();

        await db.schema
          .createTable('identities')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('lead_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('identities_pk', ['workspace_id', 'kind', 'value'])
          .execute();
        await db.schema.createIndex('identities_by_lead').on('identities').column('lead_id').execute();

        await eventColumns(dialect.addSerialId(db.schema.createTable('events')))
          // The idempotency guarantee: one row per (site, messageId), whatever the retries.
          .addUniqueConstraint('events_message_unique', ['site_id', 'message_id'])
          .execute();
        await createEventIndexes(db);
        await db.schema.createIndex('events_by_visitor').on('events').columns(['workspace_id', 'anonymous_id']).execute();

        await dialect
          .addSerialId(db.schema.createTable('stage_changes'))
          .addColumn('lead_id', 'text', (c) => c.notNull())
          .addColumn('from_stage', 'text')
          .addColumn('to_stage', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('stage_changes_by_lead').on('stage_changes').column('lead_id').execute();

        await db.schema
          .createTable('idempotency_keys')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('request_hash', 'text', (c) => c.notNull())
          .addColumn('lead_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('idempotency_keys_pk', ['workspace_id', 'key'])
          .execute();
        await db.schema.createIndex('idempotency_keys_by_lead').on('idempotency_keys').column('lead_id').execute();
        await db.schema.createIndex('idempotency_keys_by_age').on('idempotency_keys').column('created_at').execute();

        await db.schema
          .createTable('settings')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0002_leads_by_workspace': {
      // Walking a workspace's leads in id order (rescoring) must not sort them all for every chunk.
      async up(db: Kysely<any>) {
        await db.schema.createIndex('leads_by_workspace').on('leads').columns(['workspace_id', 'id']).execute();
      },
    },
    '0003_events_unique_per_actor': {
      /**
       * Events are unique per (workspace, actor, messageId, site) instead of (site, messageId).
       * Retries resend the same ids, so duplicates are found exactly as before; but random
       * messageIds scattered every insert over a 2M-entry index (a page written per event),
       * while one visitor's events sit together: a batch now writes a page or two of it. The
       * same index serves lookups by visitor, so `events_by_visitor` goes.
       */
      async up(db: Kysely<any>) {
        // SQLite's DDL is transactional, but Kysely runs SQLite migrations outside a transaction.
        if (dialect.name === 'sqlite') await db.transaction().execute((trx) => rebuildEventsWithActor(trx, dialect));
        else await addActorInPlace(db);
      },
    },
    '0004_model_jobs': {
      /**
       * A model change is a durable job: `jobs` holds it (and the lease of the instance running
       * it), and each lead records the model version that scored it, so a job interrupted by a
       * crash resumes with the leads not yet on its version. Existing leads were scored by the
       * synchronous rescore of their workspace's latest model, so they start on that version.
       */
      async up(db: Kysely<any>) {
        await db.schema.alterTable('leads').addColumn('model_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        const latest = db.selectFrom('models').select((eb) => eb.fn.max('version').as('v')).whereRef('models.workspace_id', '=', 'leads.workspace_id');
        await db.updateTable('leads').set({ model_version: sql`coalesce((${latest}), 0)` }).execute();
        await db.schema
          .createTable('jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('model_version', 'integer', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('done', 'integer', (c) => c.notNull())
          .addColumn('total', 'integer', (c) => c.notNull())
          .addColumn('error', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('leased_by', 'text')
          .addColumn('leased_until', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('started_at', 'bigint')
          .addColumn('finished_at', 'bigint')
          .execute();
        await db.schema.createIndex('jobs_by_state').on('jobs').columns(['state', 'created_at']).execute();
      },
    },
    '0005_outcome_at': {
      /**
       * When a lead's outcome (won / lost) happened: set by a CSV import from the file, and by a rep
       * setting an outcome. Reports and backtests read outcomes as of this date. Older outcomes have none.
       */
      async up(db: Kysely<any>) {
        await db.schema.alterTable('leads').addColumn('outcome_at', 'bigint').execute();
      },
    },
    '0006_attribute_history': {
      /**
       * Every value an attribute took, dated when it was set, so a backtest scores a lead with its
       * attributes as they were at its outcome and never with what was learned after. Older leads
       * get one row per current attribute, dated by its setAt.
       */
      async up(db: Kysely<any>) {
        await dialect
          .addSerialId(db.schema.createTable('attribute_history'))
          .addColumn('lead_id', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          /** JSON of the value; null: the attribute was removed. */
          .addColumn('value', 'text')
          .addColumn('set_by', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('attribute_history_by_lead').on('attribute_history').columns(['lead_id', 'at']).execute();
        await backfillAttributeHistory(db);
      },
    },
    '0007_challengers': {
      /**
       * Champion / challenger: one challenger model per workspace, and each lead's shadow score
       * under it (score, tier, and the aggregate it is rescored from, which names the challenger's
       * fingerprint: a shadow job resumes with the leads whose shadow aggregate is not yet for it).
       */
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('challengers')
          .addColumn('workspace_id', 'text', (c) => c.primaryKey())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('started_at', 'bigint', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .execute();
        await db.schema.alterTable('leads').addColumn('shadow_score', 'double precision').execute();
        await db.schema.alterTable('leads').addColumn('shadow_tier', 'text').execute();
        await db.schema.alterTable('leads').addColumn('shadow_aggregate', 'text').execute();
      },
    },
    '0008_console_sessions': {
      /**
       * The console's sign-in sessions (a token exchanged for a cookie; only the cookie's hash is
       * kept), and the orders the console's leads table pages through with a keyset: by stored
       * score and by last activity, each ending with id so every position is unique.
       */
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('console_sessions')
          .addColumn('hash', 'text', (c) => c.primaryKey())
          .addColumn('token_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('console_sessions_by_token').on('console_sessions').column('token_id').execute();
        await db.schema.createIndex('leads_by_score_id').on('leads').columns(['workspace_id', 'score', 'id']).execute();
        await db.schema.createIndex('leads_by_activity').on('leads').columns(['workspace_id', 'updated_at', 'id']).execute();
      },
    },
    '0009_webhooks': {
      // See webhook-migration.ts. SQLite migrations run outside a transaction: make this one atomic.
      async up(db: Kysely<any>) {
        if (dialect.name === 'sqlite') await db.transaction().execute((trx) => createWebhookTables(trx, dialect));
        else await createWebhookTables(db, dialect);
      },
    },
    '0010_accounts': {
      // See account-migration.ts: the tables, then every existing lead put in its account.
      async up(db: Kysely<any>) {
        await createAccountTables(db);
        await backfillAccounts(db, dialect);
      },
    },
    '0011_events_by_lead_partial': {
      // Every read of events by lead names the lead; an anonymous visitor's events (most of
      // ingest) no longer pay an entry they are never found by. Rerunnable: the drop is if-exists.
      async up(db: Kysely<any>) {
        await db.schema.dropIndex('events_by_lead').ifExists().execute();
        await db.schema.createIndex('events_by_lead').on('events').columns(['lead_id', 'at']).where(sql.ref('lead_id'), 'is not', null).execute();
      },
    },
  };
}

/** One history row per attribute every existing lead holds, in pages (JSON is parsed here, the same on both databases). */
async function backfillAttributeHistory(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const leads: { id: string; attributes: string }[] = await db.selectFrom('leads').select(['id', 'attributes']).where('id', '>', after).orderBy('id').limit(1_000).execute();
    if (leads.length === 0) return;
    const rows = leads.flatMap(({ id, attributes }) =>
      Object.entries(JSON.parse(attributes) as Record<string, { value: unknown; setBy: string; setAt: number }>).map(([key, a]) => ({ lead_id: id, key, value: JSON.stringify(a.value), set_by: a.setBy, at: a.setAt })),
    );
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('attribute_history').values(rows.slice(i, i + 500)).execute();
    after = leads.at(-1)!.id;
  }
}

/** The columns of `events` after its id, as 0001 created them: name, type, not null. */
const EVENT_COLUMNS: [string, 'text' | 'bigint', boolean][] = [
  ['workspace_id', 'text', true],
  ['site_id', 'text', true],
  ['message_id', 'text', true],
  ['type', 'text', true],
  ['name', 'text', true],
  ['anonymous_id', 'text', false],
  ['user_id', 'text', false],
  ['lead_id', 'text', false],
  ['properties', 'text', false],
  ['context', 'text', false],
  ['at', 'bigint', true],
  ['received_at', 'bigint', true],
];

function eventColumns<T extends string>(table: CreateTableBuilder<T, any>): CreateTableBuilder<T, any> {
  return EVENT_COLUMNS.reduce((t, [name, type, notNull]) => t.addColumn(name, type, (c) => (notNull ? c.notNull() : c)), table);
}

/** Whom an event's messageId is unique for; see `eventActor`. */
const ACTOR = sql`coalesce(anonymous_id, user_id, '')`;

/** SQLite cannot drop a table constraint: the table is copied into one without it, ids kept. */
async function rebuildEventsWithActor(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  await eventColumns(dialect.addSerialId(db.schema.createTable('events_next')))
    .addColumn('actor', 'text', (c) => c.notNull())
    .execute();
  const columns = ['id', ...EVENT_COLUMNS.map(([name]) => name)];
  await db
    .insertInto('events_next')
    .columns([...columns, 'actor'])
    .expression(db.selectFrom('events').select([...columns, ACTOR.as('actor')]))
    .execute();
  await db.schema.dropTable('events').execute();
  await db.schema.alterTable('events_next').renameTo('events').execute();
  await createEventIndexes(db);
  await createUniquePerActor(db);
}

/** The indexes on `events` that 0001 created and 0003 keeps: by lead, and by user id. */
async function createEventIndexes(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('events_by_lead').on('events').columns(['lead_id', 'at']).execute();
  await db.schema
    .createIndex('events_by_user')
    .on('events')
    .columns(['workspace_id', 'user_id'])
    .where(sql.ref('user_id'), 'is not', null)
    .execute();
}

async function addActorInPlace(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').addColumn('actor', 'text').execute();
  await db.updateTable('events').set({ actor: ACTOR }).execute();
  await db.schema.alterTable('events').alterColumn('actor', (c) => c.setNotNull()).execute();
  await db.schema.alterTable('events').dropConstraint('events_message_unique').execute();
  await db.schema.dropIndex('events_by_visitor').execute();
  await createUniquePerActor(db);
}

async function createUniquePerActor(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('events_unique_per_actor').unique().on('events').columns(['workspace_id', 'actor', 'message_id', 'site_id']).execute();
}

/** Brings the database up to date; safe to run on every start. */
export function migrateToLatest(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  return migrate(db, dialect, (migrator) => migrator.migrateToLatest());
}

/** Brings the database up to `name` and no further: how a test makes a database of an older release. */
export function migrateTo(db: Kysely<any>, dialect: SqlDialect, name: string): Promise<void> {
  return migrate(db, dialect, (migrator) => migrator.migrateTo(name));
}

async function migrate(db: Kysely<any>, dialect: SqlDialect, run: (migrator: Migrator) => Promise<MigrationResultSet>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrationTableSchema = await dialect.migrationTableSchema(db);
  const { error, results } = await run(new Migrator({ db, provider, migrationTableSchema }));
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error | undefined)?.message ?? 'unknown error'}`);
  }
}
