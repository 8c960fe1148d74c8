import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { PostgresStore } from './postgres-store';
import { SqliteStore } from '../sqlite/sqlite-store';

/** Kysely's own bookkeeping: each side records the migrations it ran itself. */
const SKIPPED_TABLES = /^(sqlite_|kysely_migration)/;
/** Rows per INSERT, under PostgreSQL's 65,535 parameters for the widest table. */
const ROWS_PER_INSERT = 500;

export interface TableProgress {
  table: string;
  copied: number;
  total: number;
}

export interface TableCount {
  table: string;
  sqlite: number;
  postgres: number;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Copies every table of a SQLite database into an empty PostgreSQL database (or schema), in one
 * PostgreSQL transaction: either all of it arrives or none. Both sides are migrated to the same
 * schema first, which also upgrades the SQLite file if it is older. The source is read from one
 * snapshot, so a backend still writing to it cannot tear the copy; the returned counts are taken
 * afterwards from both sides, so such writes show up as differences.
 */
export async function copySqliteToPostgres(from: string, to: string, onProgress: (p: TableProgress) => void): Promise<TableCount[]> {
  if (!existsSync(from)) throw new Error(`${from} does not exist`);
  await (await SqliteStore.open(from)).close();
  const target = await PostgresStore.open(to);
  const source = new BetterSqlite3(from, { readonly: true, fileMustExist: true });
  try {
    const tables = tablesOf(source);
    const client = await target.pool.connect();
    try {
      await copyAll(source, client, tables, onProgress);
    } finally {
      client.release();
    }
    return await countBoth(source, target.pool, tables);
  } finally {
    source.close();
    await target.close();
  }
}

function tablesOf(source: BetterSqlite3.Database): string[] {
  const rows = source.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[];
  return rows.map((r) => r.name).filter((name) => !SKIPPED_TABLES.test(name));
}

async function copyAll(source: BetterSqlite3.Database, client: pg.PoolClient, tables: string[], onProgress: (p: TableProgress) => void) {
  await client.query('begin');
  source.exec('begin'); // one read snapshot for every table (WAL lets the backend keep writing)
  try {
    for (const table of tables) {
      const existing = await client.query(`select 1 from ${quote(table)} limit 1`);
      if (existing.rowCount) throw new Error(`table ${table} in the target already has rows; copy into an empty database or schema`);
    }
    for (const table of tables) await copyTable(source, client, table, onProgress);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    source.exec('commit');
  }
}

async function copyTable(source: BetterSqlite3.Database, client: pg.PoolClient, table: string, onProgress: (p: TableProgress) => void) {
  const columns = (source.prepare(`select name from pragma_table_info(?) order by cid`).all(table) as { name: string }[]).map((c) => c.name);
  const { total } = source.prepare(`select count(*) as total from ${quote(table)}`).get() as { total: number };
  const insertSql = (rows: number) => {
    const tuples = Array.from({ length: rows }, (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    return `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}`;
  };
  const fullBatchSql = insertSql(ROWS_PER_INSERT);

  let copied = 0;
  let batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await client.query(batch.length === ROWS_PER_INSERT ? fullBatchSql : insertSql(batch.length), batch.flat());
    copied += batch.length;
    batch = [];
    onProgress({ table, copied, total });
  };
  onProgress({ table, copied, total });
  for (const row of source.prepare(`select * from ${quote(table)} order by rowid`).raw().iterate() as IterableIterator<unknown[]>) {
    batch.push(row);
    if (batch.length === ROWS_PER_INSERT) await flush();
  }
  await flush();
  // Serial ids continue after the copied ones.
  if (!columns.includes('id')) return;
  const { rows } = await client.query<{ sequence: string | null }>(`select pg_get_serial_sequence($1, 'id') as sequence`, [table]);
  const sequence = rows[0]?.sequence;
  if (sequence) await client.query(`select setval($1, coalesce(max(id), 0) + 1, false) from ${quote(table)}`, [sequence]);
}

async function countBoth(source: BetterSqlite3.Database, pool: pg.Pool, tables: string[]): Promise<TableCount[]> {
  const counts: TableCount[] = [];
  for (const table of tables) {
    const sqlite = (source.prepare(`select count(*) as n from ${quote(table)}`).get() as { n: number }).n;
    const { rows } = await pool.query<{ n: number }>(`select count(*) as n from ${quote(table)}`);
    counts.push({ table, sqlite, postgres: Number(rows[0]?.n) });
  }
  return counts;
}
