import { isAggregateCurrent, type CompiledModel } from '../../../../shared/index';
import type { SqlDialect } from '../sql/dialect';
import { saveLead } from '../leads/lead-rows';
import { rollUpAllAccounts } from '../accounts/roll-up';
import type { LeadRange, RescoreBatch, RescoredLead } from './lead-range';
import { leadFromRow } from '../sql/rows';
import type { Db } from '../sql/schema';
import { applyScore, rebuiltAggregate, type ModelCache } from '../leads/score-lead';

const ROWS_PER_INSERT = 100;

/**
 * How a store runs a full rescore: the scores are computed outside any transaction (from reads
 * that may run on other connections or threads), then written a batch per transaction, each
 * lead only while it is unchanged since it was read.
 */
export interface RescoreIO<G> {
  /** The range's leads (a whole workspace, open at both ends) rescored with `compiled` at `now`, in batches. */
  rescore(compiled: CompiledModel, range: LeadRange, now: number): AsyncIterable<RescoreBatch<G>>;
  /**
   * Writes the score columns of each lead whose row still matches its guard (nothing the score
   * depends on changed since it was read), marked as scored by model `version`, and returns the
   * ids of the others, changed or erased.
   */
  write(trx: Db, scored: RescoredLead<G>[], now: number, version: number): Promise<string[]>;
}

export interface RescoreOptions {
  /**
   * Only the leads whose score is from an older model version than the current one: a job
   * resumed after a crash skips the leads its earlier run (or ingest) already moved.
   */
  pendingOnly?: boolean;
  /** Called after each committed batch with how many leads it rescored; throwing stops the rescore (later batches stay pending). */
  afterBatch?: (rescored: number) => Promise<void>;
}

/**
 * Rescores the leads of a workspace with its current model; returns how many were rescored.
 * Each batch commits on its own, with the leads marked as on the model's version: that is
 * what makes a rescore resumable (see RescoreOptions.pendingOnly).
 *
 * Aggregates still valid for the model (only points, caps, fit rules or thresholds changed) are
 * reused; stale ones are rebuilt from the events (see rescoreRange). Ingest keeps flowing
 * meanwhile: a lead it touches gets an aggregate for the new model from ingest itself, and the
 * rescore then rescores that lead from its row as it is at write time.
 */
export async function rescoreWorkspace<G>(
  db: Db,
  dialect: SqlDialect,
  models: ModelCache,
  workspaceId: string,
  now: number,
  io: RescoreIO<G>,
  options: RescoreOptions = {},
): Promise<number> {
  const { compiled } = await models.current(db, workspaceId);
  const range: LeadRange = { workspaceId, after: null, until: null, ...(options.pendingOnly ? { below: compiled.version } : {}) };
  let total = 0;
  for await (const batch of readingAhead(io.rescore(compiled, range, now))) {
    const rescored = await dialect.transaction(db, workspaceId, (trx) => commitBatch(trx, io, compiled, workspaceId, batch, now));
    total += rescored;
    await options.afterBatch?.(rescored);
  }
  // Accounts roll up from their people's new scores once every person is rescored.
  await rollUpAllAccounts(db, (work) => dialect.transaction(db, workspaceId, work), compiled, workspaceId, now, { webhookEvents: false });
  return total;
}

/** Asks for the next batch as soon as one is handed out, so it is read and scored while this one is written. */
async function* readingAhead<T>(batches: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = batches[Symbol.asyncIterator]();
  let next = iterator.next();
  let done = false;
  try {
    for (let item = await next; !item.done; item = await next) {
      next = iterator.next();
      yield item.value;
    }
    done = true;
  } finally {
    if (!done) {
      // Stopped early (a write failed): once the read under way settles (its failure has no one to
      // tell), the batches' own cleanup runs (workers stopped, checkpoints resumed).
      await next.catch(() => undefined);
      await iterator.return?.();
    }
  }
}

async function commitBatch<G>(trx: Db, io: RescoreIO<G>, compiled: CompiledModel, workspaceId: string, batch: RescoreBatch<G>, now: number): Promise<number> {
  const changed = new Set(await io.write(trx, batch.scored, now, compiled.version));
  const moved = batch.scored.filter((lead) => lead.stage !== lead.from && !changed.has(lead.id));
  for (let i = 0; i < moved.length; i += ROWS_PER_INSERT) {
    const rows = moved.slice(i, i + ROWS_PER_INSERT).map((lead) => ({ lead_id: lead.id, from_stage: lead.from, to_stage: lead.stage, reason: lead.stageReason, at: now }));
    await trx.insertInto('stage_changes').values(rows).execute();
  }
  const redone = await rescoreAsNow(trx, compiled, workspaceId, [...changed, ...batch.unscored], now);
  return batch.scored.length - changed.size + redone;
}

/** Leads that changed since they were read (erased ones are gone): rescored from their rows as they are now, as ingest does. */
async function rescoreAsNow(trx: Db, compiled: CompiledModel, workspaceId: string, ids: string[], now: number): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await trx.selectFrom('leads').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  for (const row of rows) {
    const lead = leadFromRow(row);
    const agg = isAggregateCurrent(compiled, lead.aggregate) ? lead.aggregate : await rebuiltAggregate(trx, compiled, lead.id, now);
    const { lead: after, result } = applyScore(lead, compiled, agg, now);
    await saveLead(trx, compiled, lead, after, result.stageReason, now, { rescore: true });
  }
  return rows.length;
}
