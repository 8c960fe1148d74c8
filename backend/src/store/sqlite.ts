import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { sqliteDialect } from './dialect';
import { KyselyStore } from './kysely-store';
import type { EventPage, EventRow, RescoreIO, ScoreWriter } from './rescore';
import type { Database as Tables } from './schema';
import { CachingSqliteDialect } from './sqlite-driver';

function tune(db: Database.Database): void {
  db.pragma('busy_timeout = 5000');
  // Lookups and rescoring read far more than SQLite's 2 MB default cache holds.
  db.pragma('cache_size = -65536');
}

/**
 * The embedded store: one SQLite file in WAL mode. synchronous=NORMAL loses no committed
 * transaction when the process crashes (only on power loss), which is the promise we make.
 */
export class SqliteStore extends KyselyStore {
  #reader: Database.Database | undefined;

  private constructor(
    readonly file: string,
    private readonly sqlite: Database.Database,
  ) {
    super(new Kysely<Tables>({ dialect: new CachingSqliteDialect(sqlite) }), sqliteDialect);
  }

  /** Opens (creating the file and its directory if needed) and migrates. */
  static async open(file: string): Promise<SqliteStore> {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    tune(sqlite);
    const store = new SqliteStore(file, sqlite);
    await store.migrate();
    return store;
  }

  /**
   * A full rescore reads millions of events and writes every lead: here as arrays rather than
   * objects and with one prepared UPDATE, instead of through the query builder.
   */
  protected override rescoreIO(db: Kysely<Tables>): RescoreIO {
    const update = this.sqlite.prepare(
      'update leads set aggregate = ?, stage = ?, score = ?, fit = ?, engagement = ?, tier = ?, grade = ?, scored_at = ? where id = ?',
    );
    // The writer runs inside a rescore transaction, which holds the one connection: nothing interleaves.
    const writeScores: ScoreWriter = async (_trx, leads) => {
      for (const l of leads) update.run(JSON.stringify(l.aggregate), l.stage, l.score, l.fit, l.engagement, l.tier, l.grade, l.scoredAt, l.id);
    };
    return { eventPage: this.file === ':memory:' ? super.rescoreIO(db).eventPage : this.#eventPage(), writeScores };
  }

  /** Events read on a second, read-only connection: WAL lets it read committed data while ingest writes on the main one. */
  #eventPage(): EventPage {
    this.#reader ??= new Database(this.file, { readonly: true });
    tune(this.#reader);
    const reader = this.#reader;
    const statements = new Map<string, Database.Statement>();
    return async (afterId, names, withProperties, limit) => {
      const shape = `${names.length}/${withProperties.length}`;
      let statement = statements.get(shape);
      if (!statement) {
        const list = (n: number) => Array.from({ length: n }, () => '?').join(', ');
        const properties = withProperties.length ? `case when name in (${list(withProperties.length)}) then properties end` : 'null';
        statement = reader
          .prepare(`select id, lead_id, name, ${properties}, at from events where id > ? and lead_id is not null and name in (${list(names.length)}) order by id limit ?`)
          .raw(true);
        statements.set(shape, statement);
      }
      return statement.all(...withProperties, afterId, ...names, limit) as EventRow[];
    };
  }

  override async close(): Promise<void> {
    this.#reader?.close();
    this.#reader = undefined;
    await super.close();
  }
}
