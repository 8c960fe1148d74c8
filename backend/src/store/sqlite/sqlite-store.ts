import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { sqliteDialect } from '../sql/dialect';
import { KyselyStore } from '../kysely-store';
import type { RescoreIO } from '../rescore/rescore-workspace';
import { checkpointInBackground, sqliteRescoreIO } from '../rescore/sqlite-rescore-io';
import { openReader, SqliteRescoreSource, type SqliteGuard } from '../rescore/sqlite-rescore-source';
import type { Database as Tables } from '../sql/schema';
import { StorableTextPlugin } from '../sql/storable-text-plugin';
import { CachingSqliteDialect } from './sqlite-driver';
import type { ImportWriter } from '../import/import-writer';
import { sqliteImportWriter } from '../import/sqlite-import-writer';
import type { EventWriter } from '../leads/event-writer';
import { sqliteEventWriter } from '../leads/sqlite-event-writer';

function tune(db: Database.Database): void {
  db.pragma('busy_timeout = 5000');
  // Lookups and rescoring read far more than SQLite's 2 MB default cache holds.
  db.pragma('cache_size = -65536');
  // A rescore lets the WAL grow to hundreds of MB before its checkpoint; this shrinks the file back once it restarts.
  db.pragma('journal_size_limit = 67108864');
  // Erasure must erase: deleted rows are overwritten with zeros, not left in free pages and cells.
  db.pragma('secure_delete = ON');
}

/** Below this many leads a workspace is rescored on the main thread: starting workers would cost more than they save. */
const RESCORE_WORKERS_FROM = 20_000;

export interface SqliteStoreOptions {
  /** Rescore workspaces with at least this many leads on worker threads (default 20,000). */
  rescoreWorkersFrom?: number;
}

/**
 * The embedded store: one SQLite file in WAL mode. synchronous=NORMAL loses no committed
 * transaction when the process crashes (only on power loss), which is the promise we make.
 */
export class SqliteStore extends KyselyStore {
  #reader: Database.Database | undefined;
  readonly #checkpoints = new Set<Promise<void>>();

  private constructor(
    readonly file: string,
    private readonly sqlite: Database.Database,
    private readonly options: SqliteStoreOptions,
  ) {
    super(new Kysely<Tables>({ dialect: new CachingSqliteDialect(sqlite), plugins: [new StorableTextPlugin()] }), sqliteDialect);
  }

  /** Opens (creating the file and its directory if needed) and migrates. */
  static async open(file: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    tune(sqlite);
    const store = new SqliteStore(file, sqlite, options);
    await store.migrate();
    return store;
  }

  /**
   * A full rescore reads and scores outside the store's connection (on worker threads for a large
   * workspace) and writes with one prepared UPDATE per lead; see sqlite-rescore.ts.
   */
  protected override rescoreIO(db: Kysely<Tables>): RescoreIO<SqliteGuard> {
    const inMemory = this.file === ':memory:';
    const source = inMemory
      ? new SqliteRescoreSource(this.sqlite, (statement) => db.connection().execute(async () => statement()))
      : new SqliteRescoreSource((this.#reader ??= openReader(this.file)));
    const checkpoint = () => {
      const done = checkpointInBackground(this.file).finally(() => this.#checkpoints.delete(done));
      this.#checkpoints.add(done);
    };
    return sqliteRescoreIO(this.sqlite, { source, file: inMemory ? null : this.file, workersFrom: this.options.rescoreWorkersFrom ?? RESCORE_WORKERS_FROM, checkpoint });
  }

  /** Prepared statements on the store's one connection, which the import batch's transaction holds. */
  protected override importWriter(): ImportWriter {
    return (this.#importWriter ??= sqliteImportWriter(this.sqlite));
  }
  #importWriter: ImportWriter | undefined;

  /** Ingest's events insert as a prepared statement on the store's one connection, which the ingest transaction holds. */
  protected override eventWriter(): EventWriter {
    return (this.#eventWriter ??= sqliteEventWriter(this.sqlite));
  }
  #eventWriter: EventWriter | undefined;

  /**
   * The erased lead's old rows also live in WAL frames written before the erase; moving every
   * frame into the (zeroed) main file and truncating the WAL leaves no copy on disk. A reader
   * mid-rescore can keep the WAL from truncating; the next erase or a clean close finishes the job.
   */
  protected override async afterErase(): Promise<void> {
    await sql`pragma wal_checkpoint(truncate)`.execute(this.db);
  }

  override async close(): Promise<void> {
    await Promise.all(this.#checkpoints);
    this.#reader?.close();
    this.#reader = undefined;
    await super.close();
  }
}
