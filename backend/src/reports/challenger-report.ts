import type { ChallengerReport } from '../../../shared/index';
import { DomainError } from '../domain/errors';
import type { Store } from '../store/store';
import { compareModels } from './backtest';

/**
 * Champion (the current model) against the workspace's challenger on the outcomes dated since the
 * challenger started: each such lead is scored under both as of its outcome date, which is
 * exactly what each model said when the outcome came (the backtest's machinery, without leakage).
 * Outcomes from before the start are left out: the challenger was chosen knowing them.
 */
export async function challengerReport(store: Store, workspaceId: string, now: number): Promise<ChallengerReport> {
  const current = await store.currentModel(workspaceId);
  if (!current.challenger) throw new DomainError('not_found', 'no_challenger', 'the workspace has no challenger model (PUT /api/model/challenger sets one)');
  const { challenger } = current;
  const models = [
    { label: 'champion', version: current.model.version, model: current.model, compiled: current.compiled },
    { label: 'challenger', version: null, model: challenger.model, compiled: challenger.compiled },
  ];
  const compared = await compareModels(models, store.closedLeadsAsOf(workspaceId, { from: null, to: null }, challenger.startedAt));
  return {
    startedAt: new Date(challenger.startedAt).toISOString(),
    leads: compared.leads,
    overall: compared.overall,
    champion: compared.models[0]!,
    challenger: compared.models[1]!,
    comparison: compared.comparison!,
    generatedAt: new Date(now).toISOString(),
  };
}
