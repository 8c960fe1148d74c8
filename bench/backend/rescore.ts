/**
 * Full rescores through the API, as an admin triggers them: PUT /api/model stores the next
 * version with a rescore job, which the server runs; the job's times say how long it took there.
 */
import { DEFAULT_MODEL, Job, ModelPutResponse, type ScoringModel } from '../../shared/index';
import { waitForJob } from '../../test/support/jobs-http';

export interface RescoreResult {
  rescored: number;
  /** The rescore job in the server, from its start to its end. */
  serverMs: number;
}

/** A new half-life changes how every event decays: no stored aggregate fits, all are rebuilt from the events. */
export const rebuildingModel: ScoringModel = { ...DEFAULT_MODEL, halfLifeDays: 21 };

/** Only points change: every aggregate still fits and is rescored without reading events. */
export const pointsOnlyModel: ScoringModel = {
  ...rebuildingModel,
  engagement: { ...rebuildingModel.engagement, rules: rebuildingModel.engagement.rules.map((r) => ({ ...r, points: r.points * 2 })) },
};

export async function putModel(url: string, adminToken: string, model: ScoringModel): Promise<RescoreResult> {
  const response = await fetch(`${url}/api/model`, { method: 'PUT', headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(model) });
  const body: unknown = await response.json();
  if (response.status !== 202) throw new Error(`PUT /api/model answered ${response.status}: ${JSON.stringify(body)}`);
  const job = Job.parse(await waitForJob(url, adminToken, ModelPutResponse.parse(body).job.id, 600_000));
  if (job.state !== 'done') throw new Error(`the rescore job ended ${job.state}: ${job.error ?? ''}`);
  return { rescored: job.progress.done, serverMs: Date.parse(job.finishedAt!) - Date.parse(job.startedAt!) };
}
