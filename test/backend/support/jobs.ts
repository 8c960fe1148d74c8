import { JobRunner } from '../../../backend/src/jobs/job-runner';
import type { Actor, JobRecord, Store } from '../../../backend/src/store/store';
import type { ScoringModel } from '../../../shared/index';

/** PUT /api/model as the store sees it, then its rescore job run here to its end, at `now`. */
export async function putModelAndRescore(store: Store, workspaceId: string, model: ScoringModel, actor: Actor, now: number): Promise<{ model: ScoringModel; job: JobRecord }> {
  const put = await store.putModel(workspaceId, model, actor, now);
  await new JobRunner(store, { now: () => now }).drain();
  return { model: put.model, job: (await store.getJob(workspaceId, put.job.id))! };
}
