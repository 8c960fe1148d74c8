import type { Selectable } from 'kysely';
import { newId } from '../../domain/ids';
import type { Db, Database } from '../sql/schema';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'superseded';

/** 'rescore': move every lead to a model version. 'shadow': give every lead its shadow score under the workspace's challenger. */
export type JobKind = 'rescore' | 'shadow';

/** A durable piece of background work on a workspace's leads. */
export interface JobRecord {
  id: string;
  workspaceId: string;
  kind: JobKind;
  /** The version a rescore moves leads to; 0 for a shadow job (a challenger has no version until promoted). */
  modelVersion: number;
  state: JobState;
  done: number;
  total: number;
  error: string | null;
  attempts: number;
  leasedBy: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** States a newer job of the same workspace replaces. */
const ACTIVE: JobState[] = ['queued', 'running'];

function jobFromRow(row: Selectable<Database['jobs']>): JobRecord {
  const time = (ms: number | null) => (ms === null ? null : Number(ms));
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    kind: row.kind === 'shadow' ? 'shadow' : 'rescore',
    modelVersion: Number(row.model_version),
    state: row.state as JobState,
    done: Number(row.done),
    total: Number(row.total),
    error: row.error,
    attempts: Number(row.attempts),
    leasedBy: row.leased_by,
    createdAt: Number(row.created_at),
    startedAt: time(row.started_at),
    finishedAt: time(row.finished_at),
  };
}

async function leadCount(db: Db, workspaceId: string, below?: number): Promise<number> {
  let query = db.selectFrom('leads').select((eb) => eb.fn.countAll().as('n')).where('workspace_id', '=', workspaceId);
  if (below !== undefined) query = query.where('model_version', '<', below);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

async function shadowedCount(db: Db, workspaceId: string): Promise<number> {
  const row = await db.selectFrom('leads').select((eb) => eb.fn.countAll().as('n')).where('workspace_id', '=', workspaceId).where('shadow_aggregate', 'is not', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Queues the rescore to `modelVersion`, superseding the workspace's unfinished ones (it covers their leads too). Inside the model's transaction. */
export function queueRescore(trx: Db, workspaceId: string, modelVersion: number, now: number): Promise<JobRecord> {
  return queueJob(trx, workspaceId, 'rescore', modelVersion, now);
}

/** Queues the shadow job of a challenger just set, superseding the workspace's unfinished one (it was for the challenger replaced). */
export function queueShadow(trx: Db, workspaceId: string, now: number): Promise<JobRecord> {
  return queueJob(trx, workspaceId, 'shadow', 0, now);
}

/** Ends the workspace's unfinished jobs of this kind as superseded (a newer job, or a challenger stopped or promoted). */
export async function supersedeJobs(trx: Db, workspaceId: string, kind: JobKind, now: number): Promise<void> {
  await trx
    .updateTable('jobs')
    .set({ state: 'superseded', finished_at: now, leased_by: null, leased_until: null })
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', kind)
    .where('state', 'in', ACTIVE)
    .execute();
}

async function queueJob(trx: Db, workspaceId: string, kind: JobKind, modelVersion: number, now: number): Promise<JobRecord> {
  await supersedeJobs(trx, workspaceId, kind, now);
  const row = {
    id: newId('job'),
    workspace_id: workspaceId,
    kind,
    model_version: modelVersion,
    state: 'queued',
    done: 0,
    total: await leadCount(trx, workspaceId),
    error: null,
    attempts: 0,
    leased_by: null,
    leased_until: null,
    created_at: now,
    started_at: null,
    finished_at: null,
  };
  await trx.insertInto('jobs').values(row).execute();
  return jobFromRow(row);
}

/** The workspace's newest job of this kind, if any. */
export async function latestJob(db: Db, workspaceId: string, kind: JobKind): Promise<JobRecord | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('workspace_id', '=', workspaceId).where('kind', '=', kind).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row && jobFromRow(row);
}

export async function getJob(db: Db, workspaceId: string, id: string): Promise<JobRecord | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row && jobFromRow(row);
}

/**
 * Takes the oldest job that is queued, or running under an expired lease (its holder crashed or
 * stalled), for `owner` until now + leaseMs. The conditional UPDATE is the arbiter: of two
 * instances that saw the same job free, only one changes the row.
 */
export async function claimJob(db: Db, owner: string, leaseMs: number, now: number): Promise<JobRecord | undefined> {
  const free = await db
    .selectFrom('jobs')
    .select('id')
    .where('state', 'in', ACTIVE)
    .where((eb) => eb.or([eb('leased_until', 'is', null), eb('leased_until', '<', now)]))
    .orderBy('created_at')
    .limit(5)
    .execute();
  for (const { id } of free) {
    const claimed = await db
      .updateTable('jobs')
      .set((eb) => ({ state: 'running', leased_by: owner, leased_until: now + leaseMs, attempts: eb('attempts', '+', 1), started_at: eb.fn.coalesce('started_at', eb.val(now)) }))
      .where('id', '=', id)
      .where('state', 'in', ACTIVE)
      .where((eb) => eb.or([eb('leased_until', 'is', null), eb('leased_until', '<', now)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 1) return jobFromRow(await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  }
  return undefined;
}

/** Extends `owner`'s lease; false when the job is no longer its to run (taken over, superseded). */
export async function renewLease(db: Db, id: string, owner: string, leaseMs: number, now: number): Promise<boolean> {
  const renewed = await db.updateTable('jobs').set({ leased_until: now + leaseMs }).where('id', '=', id).where('leased_by', '=', owner).where('state', '=', 'running').executeTakeFirst();
  return Number(renewed.numUpdatedRows) === 1;
}

/** Lets another instance take the job at once (a clean shutdown mid-job). */
export async function releaseLease(db: Db, id: string, owner: string): Promise<void> {
  await db.updateTable('jobs').set({ leased_until: 0 }).where('id', '=', id).where('leased_by', '=', owner).where('state', '=', 'running').execute();
}

/**
 * Sets where the job stands, from the leads themselves: for a rescore, those already on its
 * version are done; for a shadow job, those with a shadow score (the challenger's, see storeChallenger).
 */
export async function countProgress(db: Db, job: JobRecord, owner: string): Promise<JobRecord> {
  const total = await leadCount(db, job.workspaceId);
  const done = job.kind === 'shadow' ? await shadowedCount(db, job.workspaceId) : total - (await leadCount(db, job.workspaceId, job.modelVersion));
  await db.updateTable('jobs').set({ done, total }).where('id', '=', job.id).where('leased_by', '=', owner).execute();
  return { ...job, done, total };
}

export async function addProgress(db: Db, id: string, owner: string, done: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set((eb) => ({ done: eb('done', '+', done) }))
    .where('id', '=', id)
    .where('leased_by', '=', owner)
    .where('state', '=', 'running')
    .execute();
}

/** Ends `owner`'s run of the job; false when it was not (any longer) the holder's to end. */
export async function finishJob(db: Db, id: string, owner: string, outcome: { state: 'done' | 'failed' | 'superseded'; error?: string }, now: number): Promise<boolean> {
  const finished = await db
    .updateTable('jobs')
    .set({ state: outcome.state, error: outcome.error ?? null, finished_at: now, leased_until: null })
    .where('id', '=', id)
    .where('leased_by', '=', owner)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(finished.numUpdatedRows) === 1;
}
