import { compileModel, ScoringModel, type CompiledModel } from '../../../../shared/index';
import { newId } from '../../domain/ids';
import type { Db } from '../sql/schema';

/** The workspace's challenger model: scored beside the current model (the champion) on every lead, never shown on badges. */
export interface ChallengerRecord {
  /** Unique per challenger set, so a replaced challenger is told apart from its successor even within a millisecond. */
  id: string;
  workspaceId: string;
  model: ScoringModel;
  /** When it was set: the challenger report counts only outcomes from then on. */
  startedAt: number;
  createdBy: string;
}

/** A challenger with its compiled model, as the write path and the shadow job use it. */
export interface ActiveChallenger extends ChallengerRecord {
  compiled: CompiledModel;
}

export async function readChallenger(db: Db, workspaceId: string): Promise<ChallengerRecord | undefined> {
  const row = await db.selectFrom('challengers').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row && { id: row.id, workspaceId, model: ScoringModel.parse(JSON.parse(row.body)), startedAt: Number(row.started_at), createdBy: row.created_by };
}

/**
 * Makes `model` the workspace's challenger, replacing any other, inside the caller's transaction.
 * Every shadow score is cleared: a lead's shadow columns are then either null (the shadow job has
 * not reached it) or this challenger's, which is the job's checkpoint.
 */
export async function storeChallenger(trx: Db, workspaceId: string, model: ScoringModel, createdBy: string, now: number): Promise<ChallengerRecord> {
  const record: ChallengerRecord = { id: newId('ch'), workspaceId, model, startedAt: now, createdBy };
  await trx.deleteFrom('challengers').where('workspace_id', '=', workspaceId).execute();
  await trx
    .insertInto('challengers')
    .values({ workspace_id: workspaceId, id: record.id, body: JSON.stringify(model), started_at: now, created_by: createdBy })
    .execute();
  await clearShadowScores(trx, workspaceId);
  return record;
}

/** Removes the workspace's challenger and every shadow score; false when there was none. */
export async function removeChallenger(trx: Db, workspaceId: string): Promise<boolean> {
  const removed = await trx.deleteFrom('challengers').where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0) return false;
  await clearShadowScores(trx, workspaceId);
  return true;
}

async function clearShadowScores(trx: Db, workspaceId: string): Promise<void> {
  await trx
    .updateTable('leads')
    .set({ shadow_score: null, shadow_tier: null, shadow_aggregate: null })
    .where('workspace_id', '=', workspaceId)
    .where('shadow_aggregate', 'is not', null)
    .execute();
}

/** Compiled challengers by workspace, recompiled only when the challenger changes (a new id). */
export class ChallengerCache {
  readonly #byWorkspace = new Map<string, ActiveChallenger>();

  async active(db: Db, workspaceId: string, id: string | null): Promise<ActiveChallenger | null> {
    if (id === null) {
      this.#byWorkspace.delete(workspaceId);
      return null;
    }
    const cached = this.#byWorkspace.get(workspaceId);
    if (cached?.id === id) return cached;
    const record = await readChallenger(db, workspaceId);
    if (!record) return null;
    const active = { ...record, compiled: compileModel(record.model) };
    this.#byWorkspace.set(workspaceId, active);
    return active;
  }
}
