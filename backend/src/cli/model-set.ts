import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ScoringModel, type Job } from '../../../shared/index';
import { JobRunner } from '../jobs/job-runner';
import { toJob } from '../jobs/present-job';
import type { JobRecord, Store } from '../store/store';
import { progressBar } from './progress-bar';

export const MODEL_SET_USAGE = 'model set <model.json> --workspace <id>   (stores it, then waits for every lead to be rescored)';

const FINISHED = new Set(['done', 'failed', 'superseded']);
const POLL_MS = 250;

/**
 * Stores the model and waits for its rescore job. This process runs jobs like a server
 * instance does, so the job finishes with no server running; when a server holds it, this
 * follows its progress instead. A failed job makes the command fail.
 */
export async function setModel(store: Store, workspaceId: string, file: string, options: { bar: boolean }): Promise<{ data: Job; text: string }> {
  const model = ScoringModel.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!model.success) throw new Error(`${file} is not a valid model: ${model.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { model: stored, job } = await store.putModel(workspaceId, model.data, { name: 'cli' }, Date.now());
  const bar = options.bar ? progressBar() : undefined;
  const show = (j: JobRecord) => j.id === job.id && bar?.(`rescoring for model v${j.modelVersion}`, j.done, j.total);
  const runner = new JobRunner(store, { onProgress: show });
  let current: JobRecord = job;
  while (!FINISHED.has(current.state)) {
    await runner.drain();
    current = (await store.getJob(workspaceId, job.id)) ?? current;
    show(current);
    if (!FINISHED.has(current.state)) await sleep(POLL_MS);
  }
  if (current.state === 'failed') throw new Error(`model v${stored.version} is stored, but rescoring failed: ${current.error ?? 'unknown error'}`);
  return { data: toJob(current), text: `model v${stored.version} stored; job ${current.id} ${current.state}: ${current.done}/${current.total} leads on v${current.modelVersion}` };
}
