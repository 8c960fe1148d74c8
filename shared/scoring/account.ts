import type { AccountAttributes } from '../schemas/account';
import type { BreakdownLine } from '../schemas/lead';
import type { AccountModel, ScoringModel } from '../schemas/model';
import { DEFAULT_ACCOUNT_MODEL } from './default-model';
import type { CompiledFitRule } from './compile';
import { round2 } from './numbers';
import { allAttributes } from './predicates';
import { cappedTotals, fitLines, tierFor } from './result';

/** The account part of a model, its fit predicates built once. */
export interface CompiledAccountModel {
  readonly fitMax: number;
  readonly fitRules: readonly CompiledFitRule[];
  readonly engagement: AccountModel['engagement'];
  readonly tiers: readonly { name: string; min: number }[];
}

/** Compiles a validated model's account part, or the default one when the model has none. */
export function compileAccountModel(model: ScoringModel): CompiledAccountModel {
  const part = model.accounts ?? DEFAULT_ACCOUNT_MODEL;
  return {
    fitMax: part.fit.max,
    fitRules: part.fit.rules.map((r) => ({ id: r.id, label: r.label, points: round2(r.points), holds: allAttributes(r.when) })),
    engagement: part.engagement,
    tiers: part.tiers,
  };
}

/** One of an account's people, as the roll-up reads them: their engagement as last scored. */
export interface AccountPerson {
  id: string;
  name: string | null;
  email: string | null;
  engagement: number;
}

export interface AccountInput {
  attributes: AccountAttributes;
  /** The most engaged people, most engaged first; at least `topPeople` of them when the account has that many. */
  top: readonly AccountPerson[];
  /** How many of its people reach `engagedMin`. */
  engaged: number;
}

export interface AccountScore {
  score: number;
  fit: number;
  engagement: number;
  tier: string;
  peopleEngaged: number;
  /** Every point: the fit rules that hold, each top person's engagement, and the engaged people. */
  breakdown: BreakdownLine[];
}

/**
 * Scores an account: fit from its attributes (capped at fit.max), plus engagement rolled up from
 * its people: the sum of the top `topPeople` people's engagement, and `pointsPerEngaged` for each
 * engaged person up to `maxEngagedPoints`, together capped at engagement.max. The total is
 * clamped to 0..100, like a lead's.
 */
export function scoreAccount(compiled: CompiledAccountModel, input: AccountInput): AccountScore {
  const breakdown = fitLines(compiled.fitRules, input.attributes);
  const { topPeople, pointsPerEngaged, maxEngagedPoints, max } = compiled.engagement;
  for (const person of input.top.slice(0, topPeople)) {
    if (person.engagement <= 0) continue;
    breakdown.push({ ruleId: 'top-people', kind: 'engagement', label: `Engagement of ${person.name ?? person.email ?? 'a person'}`, count: 1, points: round2(person.engagement) });
  }
  if (input.engaged > 0 && pointsPerEngaged > 0) {
    const points = round2(Math.min(input.engaged * pointsPerEngaged, maxEngagedPoints));
    const label = input.engaged === 1 ? '1 person engaged' : `${input.engaged} people engaged`;
    breakdown.push({ ruleId: 'people-engaged', kind: 'engagement', label, count: input.engaged, points });
  }
  const { fit, engagement, score } = cappedTotals(breakdown, compiled.fitMax, max);
  return { score, fit, engagement, tier: tierFor(compiled.tiers, score), peopleEngaged: input.engaged, breakdown };
}
