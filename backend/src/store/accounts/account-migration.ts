import type { Kysely } from 'kysely';
import { compileModel, ScoringModel } from '../../../../shared/index';
import type { SqlDialect } from '../sql/dialect';
import type { Db } from '../sql/schema';
import type { LeadRecord } from '../../domain/lead-record';
import { accountIdFor } from './account-rows';
import { rollUpAllAccounts } from './roll-up';
import { accountKeyOf } from '../../domain/account-key';

/**
 * 0010: accounts. The table, the lead's `account_id`, and the indexes the roll-up and the top
 * accounts read: people by engagement within an account, accounts by score within a workspace.
 */
export async function createAccountTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('domain', 'text')
    .addColumn('name', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('fit', 'double precision', (c) => c.notNull())
    .addColumn('engagement', 'double precision', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    .addColumn('people_engaged', 'integer', (c) => c.notNull())
    .addColumn('breakdown', 'text', (c) => c.notNull())
    .addColumn('scored_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('accounts_key', ['workspace_id', 'key'])
    .execute();
  await db.schema.createIndex('accounts_by_score').on('accounts').columns(['workspace_id', 'score', 'id']).execute();
  await db.schema.alterTable('leads').addColumn('account_id', 'text').execute();
  await db.schema.createIndex('leads_by_account').on('leads').columns(['account_id', 'engagement', 'id']).execute();
}

/** Every existing lead into its account, a page at a time, then every account rolled up with its workspace's current model. */
export async function backfillAccounts(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  const trxDb = db as Db;
  // SQLite runs migrations outside a transaction: one per page keeps it atomic and fast; PostgreSQL's migration is one already.
  const atomically = <T>(work: (trx: Db) => Promise<T>): Promise<T> => (dialect.name === 'sqlite' ? trxDb.transaction().execute(work) : work(trxDb));
  const workspaces = await trxDb.selectFrom('models').select(['workspace_id', (eb) => eb.fn.max('version').as('version')]).groupBy('workspace_id').execute();
  for (const { workspace_id: workspaceId, version } of workspaces) {
    const now = Date.now();
    const accountIds = new Map<string, string>();
    let after = '';
    for (;;) {
      const rows = await trxDb.selectFrom('leads').select(['id', 'email', 'attributes']).where('workspace_id', '=', workspaceId).where('id', '>', after).orderBy('id').limit(1_000).execute();
      if (rows.length === 0) break;
      await atomically(async (trx) => {
        for (const row of rows) {
          const key = accountKeyOf(row.email, JSON.parse(row.attributes) as LeadRecord['attributes']);
          if (key) await trx.updateTable('leads').set({ account_id: await accountIdFor(trx, workspaceId, key, now, accountIds) }).where('id', '=', row.id).execute();
        }
      });
      after = rows.at(-1)!.id;
    }
    const body = await trxDb.selectFrom('models').select('body').where('workspace_id', '=', workspaceId).where('version', '=', Number(version)).executeTakeFirstOrThrow();
    const compiled = compileModel(ScoringModel.parse(JSON.parse(body.body)));
    await rollUpAllAccounts(trxDb, atomically, compiled, workspaceId, now, { webhookEvents: false });
  }
}
