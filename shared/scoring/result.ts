import type { BreakdownLine } from '../schemas/lead';
import type { Grade } from '../schemas/model';
import type { CompiledFitRule, CompiledModel } from './compile';
import { clamp, round2 } from './numbers';
import { decideStage } from './stage';
import type { LeadInput, ScoreResult } from './types';

/** One line per fit rule whose predicates all hold on `attributes`, in model order (a lead's rules, or an account's). */
export function fitLines(rules: readonly CompiledFitRule[], attributes: LeadInput['attributes']): BreakdownLine[] {
  const lines: BreakdownLine[] = [];
  for (const rule of rules) {
    if (rule.holds(attributes)) lines.push({ ruleId: rule.id, kind: 'fit', label: rule.label, count: 1, points: rule.points });
  }
  return lines;
}

/**
 * The category caps: fit and engagement each within -max..max, the total clamped to 0..100.
 * Lines are already rounded to 2 decimals, so the numbers a rep sees add up.
 */
export function cappedTotals(breakdown: readonly BreakdownLine[], fitMax: number, engagementMax: number): { fit: number; engagement: number; score: number; unclamped: number } {
  let rawFit = 0;
  let rawEngagement = 0;
  let unclamped = 0;
  for (const line of breakdown) {
    if (line.kind === 'fit') rawFit += line.points;
    else rawEngagement += line.points;
    unclamped += line.points;
  }
  const fit = round2(clamp(rawFit, -fitMax, fitMax));
  const engagement = round2(clamp(rawEngagement, -engagementMax, engagementMax));
  return { fit, engagement, score: round2(clamp(fit + engagement, 0, 100)), unclamped: round2(unclamped) };
}

/**
 * Everything after the per-rule lines: category caps (each category within -max..max), the
 * total clamped to 0..100, grade, tier and stage. Lines are already rounded to 2 decimals, so
 * the numbers a rep sees add up: score = clamp(fit + engagement), and without caps
 * fit + engagement = unclamped = the sum of the lines.
 */
export function assembleResult<M>(
  compiled: CompiledModel,
  lead: LeadInput,
  breakdown: BreakdownLine[],
  reached: ReadonlySet<string>,
  milestones: M[],
): Omit<ScoreResult, 'milestones'> & { milestones: M[] } {
  const { fit, engagement, score, unclamped } = cappedTotals(breakdown, compiled.fitMax, compiled.engagementMax);
  const { stage, stageReason } = decideStage(compiled, lead.stage, lead.outcome, { score, fit, engagement, reached });
  return {
    score,
    fit,
    engagement,
    unclamped,
    grade: gradeFor(compiled, fit),
    tier: tierFor(compiled.tiers, score),
    stage,
    stageReason,
    breakdown,
    milestones,
    emailDomainType: lead.attributes.emailDomainType,
  };
}

function gradeFor(compiled: CompiledModel, fit: number): Grade {
  for (const g of compiled.grades) if (fit >= g.minFit) return g.grade;
  return 'D';
}

/** The first tier whose min the score reaches; below every min, the lowest tier. */
export function tierFor(tiers: readonly { name: string; min: number }[], score: number): string {
  for (const t of tiers) if (score >= t.min) return t.name;
  return tiers[tiers.length - 1]!.name;
}
