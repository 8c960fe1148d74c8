import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';

/**
 * The advisory lock key for `name`, scoped to the current schema, so deployments (or test
 * runs) that share a database in different schemas do not block each other.
 */
export function advisoryLockKey(name: string) {
  return sql<string>`hashtextextended(current_schema() || ':' || ${name}, 0)`;
}

/**
 * How concurrent instances stay correct on PostgreSQL: every writing transaction first takes a
 * transaction-scoped advisory lock on its workspace, so one workspace's writes run one at a time
 * across all instances, exactly as the store's SQL expects (it was written for SQLite's single
 * writer), while other workspaces and every read run in parallel. READ COMMITTED then gives each
 * statement after the lock a view that includes every earlier holder's commits.
 *
 * Why not the alternatives (measured with two stores, 1,200 batches of 20 events, 2 cores):
 * - READ COMMITTED alone, or with retries on unique violations: merges racing with ingest left
 *   events pointing at merged-away leads (test/backend/store/postgres/concurrency.postgres.test.ts catches it).
 * - SERIALIZABLE with retries is correct, but predicate locks are page- or table-grained, so
 *   unrelated batches of one workspace abort each other: 2,600-2,900 aborts for 1,200 batches
 *   at 16 in flight, some batches failing 20 times in a row, and no more events/s than this.
 * - SELECT ... FOR UPDATE on lead rows is not enough alone (anonymous events and new identities
 *   have no lead row to lock yet) and would have to be right in every code path.
 * The unique indexes stay as the backstop: events (actor, messageId, site), identities, versions.
 */
export async function workspaceTransaction<DB, T>(db: Kysely<DB>, workspaceId: string, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db
    .transaction()
    .setIsolationLevel('read committed')
    .execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${advisoryLockKey(`writes:${workspaceId}`)})`.execute(trx);
      return work(trx);
    });
}

const LOCK_POLL_MIN_MS = 10;
const LOCK_POLL_MAX_MS = 250;

/**
 * Runs `work` while this session holds the database-wide advisory lock `name`; other instances
 * wait for it. `work` gets a Kysely bound to the one connection that holds the lock, so the work
 * and the lock share a fate: if the connection dies, the lock is released and the work stops.
 * Waiting polls with pg_try_advisory_lock instead of blocking, so a waiter holds no pooled
 * connection and no statement timeout cuts a long wait short.
 */
export async function withAdvisoryLock<DB, T>(db: Kysely<DB>, name: string, work: (conn: Kysely<DB>) => Promise<T>): Promise<T> {
  for (let wait = LOCK_POLL_MIN_MS; ; wait = Math.min(wait * 2, LOCK_POLL_MAX_MS)) {
    const outcome = await db.connection().execute(async (conn) => {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${advisoryLockKey(name)}) as locked`.execute(conn);
      if (!rows[0]?.locked) return undefined;
      try {
        return { value: await work(conn) };
      } finally {
        await sql`select pg_advisory_unlock(${advisoryLockKey(name)})`.execute(conn);
      }
    });
    if (outcome) return outcome.value;
    await sleep(wait);
  }
}

/**
 * One key for the whole database, whatever the schema: schema changes (migrations, and dropping a
 * schema) take it. Kysely's migrator reads the catalog of every schema before it takes its own
 * lock, and a schema dropped meanwhile (another deployment's, or another test run's) makes that
 * read fail with "schema ... does not exist".
 */
export const SCHEMA_CHANGE_LOCK = "hashtextextended('leadscore:schema-change', 0)";

/** Runs `work` while this pool's one connection holds SCHEMA_CHANGE_LOCK (session-scoped, released after). */
export async function duringSchemaChange<T>(pool: { connect(): Promise<{ query(text: string): Promise<unknown>; release(): void }> }, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`select pg_advisory_lock(${SCHEMA_CHANGE_LOCK})`);
    try {
      return await work();
    } finally {
      await client.query(`select pg_advisory_unlock(${SCHEMA_CHANGE_LOCK})`);
    }
  } finally {
    client.release();
  }
}
