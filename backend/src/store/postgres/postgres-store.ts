import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { postgresDialect } from '../sql/dialect';
import { KyselyStore } from '../kysely-store';
import { createPool } from './postgres-pool';
import { duringSchemaChange } from './postgres-locks';
import { postgresRescoreIO, type PostgresGuard } from '../rescore/postgres-rescore-io';
import type { RescoreIO } from '../rescore/rescore-workspace';
import type { Database } from '../sql/schema';
import { StorableTextPlugin } from '../sql/storable-text-plugin';

/**
 * The store on PostgreSQL, for running several instances on one database. The SQL is the
 * SQLite store's; what differs (one writer per workspace through a transaction-scoped advisory
 * lock, see postgres-locks.ts; bigserial ids; bulk rescore IO) is in postgresDialect.
 */
export class PostgresStore extends KyselyStore {
  private constructor(
    db: Kysely<Database>,
    /** The connection pool, for its counters (totalCount, idleCount, waitingCount). */
    readonly pool: pg.Pool,
  ) {
    super(db, postgresDialect);
  }

  /** Connects, creates the URL's `schema` when it names one, and migrates. */
  static async open(url: string): Promise<PostgresStore> {
    const { pool, schema } = createPool(url);
    const store = new PostgresStore(new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new StorableTextPlugin()] }), pool);
    try {
      await duringSchemaChange(pool, async () => {
        if (schema) await store.ensureSchema(schema);
        await store.migrate();
      });
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** A full rescore reads on pooled connections, not the one that holds the rescore lock; see postgres-rescore.ts. */
  protected override rescoreIO(): RescoreIO<PostgresGuard> {
    return postgresRescoreIO(this.db);
  }

  /** Two instances may create the schema at once; the loser's error is fine if it exists now. */
  private async ensureSchema(schema: string): Promise<void> {
    try {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(this.db);
    } catch (error) {
      const { rows } = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(this.db);
      if (rows.length === 0) throw error;
    }
  }
}
