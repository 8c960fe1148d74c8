/**
 * Bulk loading of the data set straight into the tables (not over HTTP: 2M events through the
 * API would take longer than the benchmark). Secondary indexes are dropped during the load and
 * rebuilt after it, from the definitions the migrations created.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { compileModel, DEFAULT_MODEL } from '../../shared/index';
import { blocks, withAccounts, type Block, type Tenancy } from './data';

// Accounts first: a block's leads point at accounts it brings.
const TABLES = ['accounts', 'leads', 'identities', 'events'] as const;
type Table = (typeof TABLES)[number];

/** Column types for PostgreSQL's unnest(); the same columns, in order, for SQLite. */
const COLUMNS: Record<Table, Record<string, string>> = {
  accounts: {
    id: 'text', workspace_id: 'text', key: 'text', domain: 'text', name: 'text', attributes: 'text', score: 'float8', fit: 'float8', engagement: 'float8',
    tier: 'text', people: 'int4', people_engaged: 'int4', breakdown: 'text', scored_at: 'int8', created_at: 'int8',
  },
  leads: {
    id: 'text', workspace_id: 'text', email: 'text', name: 'text', linkedin_url: 'text', attributes: 'text', stage: 'text', outcome: 'text', aggregate: 'text',
    score: 'float8', fit: 'float8', engagement: 'float8', tier: 'text', grade: 'text', scored_at: 'int8', created_at: 'int8', updated_at: 'int8', account_id: 'text',
  },
  identities: { workspace_id: 'text', kind: 'text', value: 'text', lead_id: 'text' },
  events: {
    workspace_id: 'text', site_id: 'text', message_id: 'text', type: 'text', name: 'text', anonymous_id: 'text', user_id: 'text', actor: 'text', lead_id: 'text',
    properties: 'text', context: 'text', at: 'int8', received_at: 'int8',
  },
};

function* dataSet(tenancy: Tenancy, now: number): Generator<Block> {
  // The data is scored with the model every workspace starts with (version 1, the default); its leads are in their accounts.
  yield* withAccounts(blocks(tenancy, compileModel(DEFAULT_MODEL), now), tenancy, now);
}

/** Loads the backend bench's data set, or `data` (blocks of the same shape) when given. */
export function loadSqlite(file: string, tenancy: Tenancy, now: number, data: Iterable<Block> = dataSet(tenancy, now)): void {
  const db = new Database(file);
  try {
    db.pragma('synchronous = OFF');
    const indexes = db
      .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${TABLES.map(() => '?').join(', ')})`)
      .all(...TABLES) as { name: string; sql: string }[];
    for (const { name } of indexes) db.exec(`drop index "${name}"`);
    const inserts = Object.fromEntries(
      TABLES.map((t) => {
        const columns = Object.keys(COLUMNS[t]);
        return [t, db.prepare(`insert into ${t} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`)];
      }),
    ) as Record<Table, Database.Statement>;
    const insertBlock = db.transaction((block: Block) => {
      for (const t of TABLES) for (const row of block[t] ?? []) inserts[t].run(row);
    });
    for (const block of data) insertBlock(block);
    for (const { sql } of indexes) db.exec(sql);
    db.exec('analyze');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

const ROWS_PER_STATEMENT = 10_000;

export async function loadPostgres(url: string, schema: string, tenancy: Tenancy, now: number, data: Iterable<Block> = dataSet(tenancy, now)): Promise<void> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    // Indexes that back a constraint (primary keys) stay; the rest, unique ones included, are rebuilt after the load.
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes
        where schemaname = $1 and tablename = any($2)
          and indexname not in (select conname from pg_constraint where connamespace = $1::regnamespace)`,
      [schema, TABLES],
    );
    for (const { indexname } of indexes) await client.query(`drop index "${indexname}"`);
    await client.query('set synchronous_commit = off');
    for (const block of data) {
      for (const t of TABLES) {
        const rows = block[t] ?? [];
        for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await insertUnnest(client, t, rows.slice(i, i + ROWS_PER_STATEMENT));
      }
    }
    for (const { indexdef } of indexes) await client.query(indexdef);
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

/** One statement for many rows: a column of values per parameter, zipped back by unnest(). */
async function insertUnnest(client: pg.Client, table: Table, rows: readonly object[]): Promise<void> {
  const columns = Object.entries(COLUMNS[table]);
  const values = columns.map(([name]) => rows.map((row) => (row as Record<string, unknown>)[name]));
  const params = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  await client.query(`insert into ${table} (${columns.map(([name]) => name).join(', ')}) select * from unnest(${params})`, values);
}
