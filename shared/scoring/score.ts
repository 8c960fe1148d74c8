import type { BreakdownLine } from '../schemas/lead';
import type { ScoringModel } from '../schemas/model';
import { absorbInto, assertCurrent, emptyAggregate } from './aggregate';
import { toCompiled, type CompiledEngagementRule, type CompiledModel } from './compile';
import { decayFactor, round2 } from './numbers';
import { assembleResult, fitLines } from './result';
import type { LeadAggregate, LeadInput, RuleTally, ScorableEvent, ScoredMilestone, ScoreResult } from './types';

const MAX_MILESTONES = 5;

/**
 * Scores a lead from scratch: absorbs every event into an empty aggregate, then scores it, so it
 * equals the incremental path exactly. Events dated after `now` count as happening at `now`.
 */
export function scoreLead(model: ScoringModel | CompiledModel, lead: LeadInput, events: readonly ScorableEvent[], now: number): ScoreResult {
  const compiled = toCompiled(model);
  const agg = emptyAggregate(compiled);
  absorbInto(compiled, agg.rules, events, now);
  return scoreTallies(compiled, lead, agg.rules, now);
}

/** Scores a lead from its aggregate at `now`; throws StaleAggregateError if the aggregate is for another model. */
export function scoreAggregate(model: ScoringModel | CompiledModel, lead: LeadInput, agg: LeadAggregate, now: number): ScoreResult {
  const compiled = toCompiled(model);
  assertCurrent(compiled, agg);
  return scoreTallies(compiled, lead, agg.rules, now);
}

function scoreTallies(compiled: CompiledModel, lead: LeadInput, tallies: readonly RuleTally[], now: number): ScoreResult {
  const breakdown = fitLines(compiled.fitRules, lead.attributes);
  const reached = new Set<string>();
  const milestones: ScoredMilestone[] = [];
  for (const rule of compiled.engagementRules) {
    const tally = tallies[rule.index]!;
    if (tally.n === 0 || tally.n < rule.minCount) continue;
    breakdown.push(engagementLine(rule, tally, now));
    if (rule.milestone) {
      reached.add(rule.id);
      insertNewestFirst(milestones, { ruleId: rule.id, label: rule.label, at: tally.at });
    }
  }
  return assembleResult(compiled, lead, breakdown, reached, milestones);
}

/** Keeps at most MAX_MILESTONES, newest first; among equal times, model order. */
function insertNewestFirst(milestones: ScoredMilestone[], m: ScoredMilestone): void {
  let k = milestones.length;
  while (k > 0 && milestones[k - 1]!.at < m.at) k--;
  if (k >= MAX_MILESTONES) return;
  milestones.splice(k, 0, m);
  if (milestones.length > MAX_MILESTONES) milestones.pop();
}

/**
 * A rule's points at `now`: points x decayed occurrences, capped at maxPoints in absolute value.
 * Ages are measured from `now`, or from the rule's newest occurrence if that is later, so no
 * occurrence ever counts for more than its full points.
 */
function engagementLine(rule: CompiledEngagementRule, tally: RuleTally, now: number): BreakdownLine {
  const until = now > tally.at ? now : tally.at;
  let weight = 0;
  let count = tally.n;
  if (tally.recent) {
    for (const t of tally.recent) weight += decayFactor(until - t, rule.halfLifeMs);
    count = tally.recent.length;
  } else {
    weight = tally.sum * decayFactor(until - tally.at, rule.halfLifeMs);
  }
  let points = rule.points * weight;
  if (Math.abs(points) > rule.maxPoints) points = Math.sign(points) * rule.maxPoints;
  return { ruleId: rule.id, kind: 'engagement', label: rule.label, count, points: round2(points) };
}
