import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SCHEMA_CHANGE_LOCK } from '../../../backend/src/store/postgres/postgres-locks';
import { TEST_PG_URL } from '../../support/env';

export interface TestSchema {
  schema: string;
  /** TEST_PG_URL with `schema=`: a store opened on it creates and uses only this schema. */
  url: string;
  /** Every row of every table in the schema, ordered, read over a separate connection. */
  dump(): Promise<Record<string, unknown[]>>;
  /** Runs SQL with search_path set to the schema, over a separate connection. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/**
 * A schema of its own for one test (ls_test_<random>), so parallel runs and parallel test
 * files never see each other's tables. The store creates it on open; drop() removes it.
 */
export function testSchema(): TestSchema {
  const schema = `ls_test_${randomBytes(6).toString('hex')}`;
  const url = `${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  const withClient = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: TEST_PG_URL, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const query = <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => withClient(async (c) => (await c.query<R>(text, values)).rows);
  return {
    schema,
    url,
    query,
    dump: () =>
      withClient(async (client) => {
        const tables = await client.query<{ table_name: string; columns: number }>(
          `select table_name, count(*)::int as columns from information_schema.columns where table_schema = $1 group by table_name order by table_name`,
          [schema],
        );
        const dump: Record<string, unknown[]> = {};
        for (const { table_name, columns } of tables.rows) {
          const orderBy = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
          dump[table_name] = (await client.query(`select * from "${table_name}" order by ${orderBy}`)).rows;
        }
        return dump;
      }),
    // Under the lock migrations take: a schema vanishing while another test migrates fails its catalog read.
    drop: () =>
      withClient(async (client) => {
        await client.query(`select pg_advisory_lock(${SCHEMA_CHANGE_LOCK})`);
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.query(`select pg_advisory_unlock(${SCHEMA_CHANGE_LOCK})`);
      }),
  };
}
