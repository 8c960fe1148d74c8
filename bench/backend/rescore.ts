/**
 * Full rescores through the API, as an admin triggers them: PUT /api/model stores the next
 * version and runs Store.rescoreAll in the server; the answer says how long that took there.
 */
import { DEFAULT_MODEL, type ScoringModel } from '../../shared/index';

export interface RescoreResult {
  rescored: number;
  /** putModel in the server: the model insert and Store.rescoreAll. */
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
  const body = (await response.json()) as { rescored: number; ms: number };
  if (response.status !== 200) throw new Error(`PUT /api/model answered ${response.status}: ${JSON.stringify(body)}`);
  return { rescored: body.rescored, serverMs: body.ms };
}
