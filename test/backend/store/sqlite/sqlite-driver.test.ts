import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CachingSqliteDialect } from '../../../../backend/src/store/sqlite/sqlite-driver';

interface Tables {
  items: { id: number; name: string };
}

describe('the SQLite driver', () => {
  it('streams rows in order, in chunks, and the connection answers other queries afterwards', async () => {
    const db = new Kysely<Tables>({ dialect: new CachingSqliteDialect(new Database(':memory:')) });
    await db.schema.createTable('items').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text').execute();
    await db.insertInto('items').values(Array.from({ length: 25 }, (_, i) => ({ id: i + 1, name: `item ${i + 1}` }))).execute();

    const streamed: number[] = [];
    for await (const row of db.selectFrom('items').selectAll().where('id', '>', 3).orderBy('id').stream(10)) streamed.push(row.id);
    expect(streamed).toEqual(Array.from({ length: 22 }, (_, i) => i + 4));

    expect(await db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 25 });
    await db.destroy();
  });
});
