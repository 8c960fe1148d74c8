import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { withAdvisoryLock, workspaceTransaction } from '../postgres/postgres-locks';

export type DialectName = 'sqlite' | 'postgres';

/**
 * The few places where SQLite and PostgreSQL need different SQL. Everything else is written
 * once with Kysely's builders.
 */
export interface SqlDialect {
  name: DialectName;
  /** Adds an auto-incrementing integer primary key `id` that is never reused. */
  addSerialId<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'>;
  /**
   * Runs `work` in one transaction during which no other transaction writes to the workspace.
   * SQLite has one writer at a time anyway (BEGIN IMMEDIATE); PostgreSQL takes the workspace's
   * advisory lock first, across every instance (see postgres-locks.ts for why).
   */
  transaction<DB, T>(db: Kysely<DB>, workspaceId: string, work: (trx: Kysely<DB>) => Promise<T>): Promise<T>;
  /**
   * Runs `work` while no other process runs work under the same `name` (e.g. a full rescore).
   * SQLite: one process owns the file, so it just runs. PostgreSQL: a session advisory lock,
   * with `work` given a Kysely bound to the locked connection.
   */
  exclusively<DB, T>(db: Kysely<DB>, name: string, work: (db: Kysely<DB>) => Promise<T>): Promise<T>;
  /** Where Kysely keeps its migration tables: PostgreSQL pins the current schema (see migrations.ts). */
  migrationTableSchema(db: Kysely<any>): Promise<string | undefined>;
}

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  addSerialId: (table) => table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
  transaction: (db, _workspaceId, work) => db.transaction().execute(work),
  exclusively: (db, _name, work) => work(db),
  migrationTableSchema: async () => undefined,
};

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  addSerialId: (table) => table.addColumn('id', 'bigserial', (c) => c.primaryKey()),
  transaction: workspaceTransaction,
  exclusively: withAdvisoryLock,
  // Kysely looks for its migration table in every schema unless told which one; with several
  // deployments (or test runs) in one database it would find another schema's table.
  migrationTableSchema: async (db) => (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema,
};
