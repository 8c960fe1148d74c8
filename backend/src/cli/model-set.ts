import { readFileSync } from 'node:fs';
import { ScoringModel, type Job } from '../../../shared/index';
import { toJob } from '../jobs/present-job';
import type { Store } from '../store/store';
import { waitForJob } from './wait-for-job';

export const MODEL_SET_USAGE = 'model set <model.json> --workspace <id>   (stores it, then waits for every lead to be rescored)';

/** Reads and validates a model JSON file; a clear error names the file and every problem. */
export function readModelFile(file: string): ScoringModel {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the model file ${file}: ${(error as Error).message}`);
  }
  const model = ScoringModel.safeParse(json);
  if (!model.success) throw new Error(`${file} is not a valid model: ${model.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return model.data;
}

/** Stores the model and waits for its rescore job (see waitForJob). A failed job makes the command fail. */
export async function setModel(store: Store, workspaceId: string, file: string, options: { bar: boolean }): Promise<{ data: Job; text: string }> {
  const { model: stored, job } = await store.putModel(workspaceId, readModelFile(file), { name: 'cli' }, Date.now());
  const current = await waitForJob(store, job, { bar: options.bar, label: (j) => `rescoring for model v${j.modelVersion}` });
  if (current.state === 'failed') throw new Error(`model v${stored.version} is stored, but rescoring failed: ${current.error ?? 'unknown error'}`);
  return { data: toJob(current), text: `model v${stored.version} stored; job ${current.id} ${current.state}: ${current.done}/${current.total} leads on v${current.modelVersion}` };
}
