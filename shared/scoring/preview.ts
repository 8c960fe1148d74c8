import type { BreakdownLine } from '../schemas/lead';
import type { ScoringModel, Stage } from '../schemas/model';
import { toCompiled, type CompiledModel } from './compile';
import { assembleResult, fitLines } from './result';
import type { LeadInput, ScoreResult } from './types';

/** The part of an earlier result a preview reuses: a ScoreResult, or a LeadDetail from the API. */
export interface EngagementSnapshot<M extends { ruleId: string }> {
  breakdown: readonly BreakdownLine[];
  milestones: readonly M[];
  stage?: Stage;
}

export type PreviewResult<M> = Omit<ScoreResult, 'milestones'> & { milestones: M[] };

/**
 * What the score becomes with the attributes in `lead`, without the lead's events: fit, grade,
 * tier and stage are recomputed, engagement lines are taken from `previous` (engagement never
 * depends on attributes). The stage floor is `lead.stage`, else `previous.stage`. With unchanged
 * attributes it reproduces `previous` exactly, so the popup can show a tag's effect at once.
 */
export function previewWithAttributes<M extends { ruleId: string }>(
  model: ScoringModel | CompiledModel,
  lead: LeadInput,
  previous: EngagementSnapshot<M>,
): PreviewResult<M> {
  const compiled = toCompiled(model);
  const engagement = previous.breakdown.filter((line) => line.kind === 'engagement');
  const milestoneIds = new Set(compiled.engagementRules.filter((r) => r.milestone).map((r) => r.id));
  const reached = new Set(engagement.filter((line) => line.count > 0 && milestoneIds.has(line.ruleId)).map((line) => line.ruleId));
  const floor: LeadInput = { ...lead, stage: lead.stage ?? previous.stage };
  return assembleResult(compiled, floor, [...fitLines(compiled.fitRules, lead.attributes), ...engagement], reached, [...previous.milestones]);
}
