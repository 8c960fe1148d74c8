import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { RescoreIO } from './rescore-workspace';
import { rescoreRange, type RescoredLead } from './lead-range';
import type { SqliteGuard, SqliteRescoreSource } from './sqlite-rescore-source';
import { rescoreInWorkers } from './sqlite-worker-pool';

/** Beyond a few, workers would mostly wait for the main thread, which writes every lead. */
const MAX_WORKERS = 4;

export interface SqliteRescoreOptions {
  /** Where the rescore reads: a connection of its own, or the store's one between its transactions. */
  source: SqliteRescoreSource;
  /** The database file, for workers to open; null when they cannot (an in-memory database). */
  file: string | null;
  /** Workspaces with at least this many leads are rescored on worker threads, one per core. */
  workersFrom: number;
  /** Checkpoints the WAL after a rescore on worker threads (which defers checkpoints while it writes). */
  checkpoint: () => void;
}

/**
 * A SQLite rescore: the reads and the scoring run outside the store's connection, on worker
 * threads for a large workspace (each a range of its leads, with its own read-only connection),
 * and the main thread only writes, with one prepared UPDATE per lead.
 */
export function sqliteRescoreIO(main: Database.Database, options: SqliteRescoreOptions): RescoreIO<SqliteGuard> {
  // Inside a rescore transaction, which holds the store's one connection: nothing interleaves.
  const update = main.prepare(
    `update leads set aggregate = coalesce(?, aggregate), stage = ?, score = ?, fit = ?, engagement = ?, tier = ?, grade = ?, scored_at = ?, model_version = ?
      where id = ? and rowid = ? and aggregate = ? and attributes = ? and stage = ? and outcome is ? and email is ?`,
  );
  return {
    async *rescore(compiled, range, now) {
      const { source, file } = options;
      const workers = Math.min(MAX_WORKERS, availableParallelism());
      if (file === null || workers < 2 || (await source.count(range)) < options.workersFrom) {
        yield* rescoreRange(source, compiled, range, now);
        return;
      }
      const resume = deferCheckpoints(main);
      try {
        yield* rescoreInWorkers(file, compiled, source, await source.split(range, workers), now);
      } finally {
        resume();
        options.checkpoint();
      }
    },
    async write(_trx, scored: RescoredLead<SqliteGuard>[], now, version) {
      const changed: string[] = [];
      for (const l of scored) {
        const written = update.run(l.aggregate, l.stage, l.score, l.fit, l.engagement, l.tier, l.grade, now, version, l.id, ...l.guard).changes;
        if (written === 0) changed.push(l.id);
      }
      return changed;
    },
  };
}

const deferrals = new WeakMap<Database.Database, { depth: number; autocheckpoint: number }>();

/**
 * Checkpoints (copying the WAL into the database file) wait until the rescore is done: after
 * every commit, as by default, they would copy the score index's pages again for every batch.
 * The returned function lets them run again (when no other rescore still defers them).
 */
function deferCheckpoints(main: Database.Database): () => void {
  const deferral = deferrals.get(main) ?? { depth: 0, autocheckpoint: main.pragma('wal_autocheckpoint', { simple: true }) as number };
  if (deferral.depth++ === 0) main.pragma('wal_autocheckpoint = 0');
  deferrals.set(main, deferral);
  return () => {
    if (--deferral.depth > 0) return;
    deferrals.delete(main);
    main.pragma(`wal_autocheckpoint = ${deferral.autocheckpoint}`);
  };
}

/**
 * One checkpoint of the whole WAL, on a thread and connection of its own, so neither the main
 * thread nor the next ingest commit waits for it. It never fails: a checkpoint that does not
 * happen now happens at a later commit.
 */
export function checkpointInBackground(file: string): Promise<void> {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const code = `const Database = require(${JSON.stringify(sqlite)});
    const db = new Database(require('node:worker_threads').workerData, { fileMustExist: true });
    try { db.pragma('busy_timeout = 5000'); db.pragma('wal_checkpoint(PASSIVE)'); } finally { db.close(); }`;
  return new Promise((resolve) => {
    const worker = new Worker(code, { eval: true, workerData: file });
    worker.on('error', () => {});
    worker.on('exit', () => resolve());
  });
}

