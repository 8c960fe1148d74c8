import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPool } from '../../../../backend/src/store/postgres/postgres-pool';
import { hasPostgres, TEST_PG_URL } from '../../../support/env';

/** Runs `work` on one connection of a fresh pool (so of a fresh set of prepared statements), then ends the pool. */
async function onOneConnection(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const { pool } = createPool(`${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}pool_max=2`);
  const client = await pool.connect();
  try {
    await work(client);
  } finally {
    client.release();
    await pool.end();
  }
}

describe.runIf(await hasPostgres())('PostgreSQL connections prepare their statements', () => {
  it('prepares a parameterized statement the second time it runs, once per connection, leaving statements without parameters unnamed', () =>
    onOneConnection(async (client) => {
      const prepared = async () => (await client.query<{ statement: string }>('select statement from pg_prepared_statements')).rows.map((r) => r.statement);
      expect((await client.query<{ n: number }>('select $1::int + 1 as n', [0])).rows[0]!.n).toBe(1);
      expect(await prepared()).toEqual([]);
      for (let i = 1; i < 4; i++) expect((await client.query<{ n: number }>('select $1::int + 1 as n', [i])).rows[0]!.n).toBe(i + 1);
      expect(await prepared()).toEqual(['select $1::int + 1 as n']);
      // Several statements in one text cannot be prepared: without parameters they run as before.
      await client.query('create temporary table t (n int); insert into t values (1)');
      expect((await client.query<{ n: number }>('select n from t')).rows).toEqual([{ n: 1 }]);
      expect(await prepared()).toEqual(['select $1::int + 1 as n']);
    }));

  it('leaves statements whose columns a * picks unprepared, and a prepared one survives a column added by a newer version', () =>
    onOneConnection(async (client) => {
      await client.query('create temporary table people (id int, name text)');
      await client.query('insert into people values (1, $1)', ['Ann']);
      for (let i = 0; i < 2; i++) {
        expect((await client.query('select * from people where id = $1', [1])).rows).toEqual([{ id: 1, name: 'Ann' }]);
        expect((await client.query('select name from people where id = $1', [1])).rows).toEqual([{ name: 'Ann' }]);
      }
      // A rolling deploy: the new version's migration adds a column while this connection keeps its statements.
      await client.query('alter table people add column email text');
      expect((await client.query('select * from people where id = $1', [1])).rows).toEqual([{ id: 1, name: 'Ann', email: null }]);
      expect((await client.query('select name from people where id = $1', [1])).rows).toEqual([{ name: 'Ann' }]);
      const prepared = (await client.query<{ statement: string }>('select statement from pg_prepared_statements order by statement')).rows.map((r) => r.statement);
      expect(prepared).toEqual(['select name from people where id = $1']);
    }));

  it('keeps at most 200 statements prepared per connection; more distinct ones still run, unnamed, and one-off statements take no slot', () =>
    onOneConnection(async (client) => {
      for (let i = 0; i < 250; i++) {
        const values = Array.from({ length: i + 1 }, (_, k) => k);
        const text = `select ${values.map((k) => `$${k + 1}::int`).join(' + ')} as n`;
        // Each runs twice: the second run prepares it while there is room.
        for (let run = 0; run < 2; run++) expect((await client.query<{ n: number }>(text, values)).rows[0]!.n).toBe((i * (i + 1)) / 2);
      }
      await client.query('select $1::int * 1000 as once', [1]);
      expect((await client.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements')).rows[0]!.n).toBe(200);
    }));
});
