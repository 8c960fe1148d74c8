import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

const STATEMENT_CACHE_SIZE = 500;

/**
 * One better-sqlite3 connection behind a mutex, like Kysely's own SQLite driver, with two
 * differences that matter under load: prepared statements are cached by SQL text, and
 * transactions start with BEGIN IMMEDIATE, so a transaction that reads and then writes never
 * fails with SQLITE_BUSY when another process (the CLI) has written in between.
 */
class CachingConnection implements DatabaseConnection {
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(readonly db: BetterSqlite3.Database) {}

  #prepare(sqlText: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sqlText);
    if (!statement) {
      // The hot statements are prepared first and stay; rare shapes (long IN lists) come and go.
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.delete(this.#statements.keys().next().value!);
      statement = this.db.prepare(sqlText);
      this.#statements.set(sqlText, statement);
    }
    return statement;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  /** Rows one at a time (Kysely's `.stream()`), for reads too big to hold; the connection stays locked until the end. */
  async *streamQuery<R>(query: CompiledQuery, chunkSize = 1): AsyncIterableIterator<QueryResult<R>> {
    let rows: R[] = [];
    // Its own statement, not a cached one: a cached statement may be needed again while this one iterates.
    for (const row of this.db.prepare(query.sql).iterate(query.parameters as unknown[])) {
      rows.push(row as R);
      if (rows.length >= chunkSize) {
        yield { rows };
        rows = [];
      }
    }
    if (rows.length) yield { rows };
  }
}

class Mutex {
  #tail: Promise<void> = Promise.resolve();

  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return acquired;
  }
}

class SqliteDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #connection: CachingConnection;
  #release: (() => void) | undefined;

  constructor(db: BetterSqlite3.Database) {
    this.#connection = new CachingConnection(db);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#release = await this.#mutex.lock();
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    this.#connection.db.close();
  }
}

export class CachingSqliteDialect implements Dialect {
  constructor(readonly db: BetterSqlite3.Database) {}
  createDriver = (): Driver => new SqliteDriver(this.db);
  createAdapter = () => new SqliteAdapter();
  createQueryCompiler = () => new SqliteQueryCompiler();
  createIntrospector = (db: Kysely<any>) => new SqliteIntrospector(db);
}
