import type { Stage } from '../schemas/model';
import type { Outcome } from '../schemas/lead';
import type { CompiledCriterion, CompiledModel } from './compile';

export interface StageInputs {
  score: number;
  fit: number;
  engagement: number;
  /** Ids of milestone rules the lead has reached at least once. */
  reached: ReadonlySet<string>;
}

/**
 * How far along a lead is. A won deal outranks a lost one: when two records of one person are
 * merged, the person is a customer if either record says so, since revenue is the fact every
 * report counts and a lost deal does not undo a won one.
 */
export const STAGE_RANK: Readonly<Record<Stage, number>> = { Prospect: 0, MQL: 1, SQL: 2, Disqualified: 3, Customer: 4 };

export function higherStage(a: Stage, b: Stage): Stage {
  return STAGE_RANK[b] > STAGE_RANK[a] ? b : a;
}

/**
 * The lead's stage and a sentence saying why. An outcome decides Customer / Disqualified; otherwise
 * the highest stage with a met criterion, but never below the stage the lead is already in
 * (`current`), and Customer / Disqualified set on the lead stay until an outcome or a rep changes them.
 */
export function decideStage(compiled: CompiledModel, current: Stage | undefined, outcome: Outcome | null | undefined, inputs: StageInputs): { stage: Stage; stageReason: string } {
  if (outcome === 'won') return { stage: 'Customer', stageReason: 'Customer: the deal was won.' };
  if (outcome === 'lost') return { stage: 'Disqualified', stageReason: 'Disqualified: the deal was lost.' };
  if (current === 'Customer' || current === 'Disqualified') {
    return { stage: current, stageReason: `${current}: set on the lead; only an outcome or a rep changes it.` };
  }
  const computed = computedStage(compiled, inputs);
  if (current && STAGE_RANK[current] > STAGE_RANK[computed.stage]) {
    return { stage: current, stageReason: `${current}: kept, because stages never move back on their own (the criteria alone now give ${computed.stage}).` };
  }
  return computed;
}

function computedStage(compiled: CompiledModel, inputs: StageInputs): { stage: Stage; stageReason: string } {
  for (const stage of ['SQL', 'MQL'] as const) {
    for (const c of compiled.stages[stage]) if (meets(c, inputs)) return { stage, stageReason: `${stage}: ${describe(c, inputs)}.` };
  }
  return { stage: 'Prospect', stageReason: 'Prospect: no MQL criterion is met yet.' };
}

function meets(c: CompiledCriterion, x: StageInputs): boolean {
  return (
    (c.minScore === undefined || x.score >= c.minScore) &&
    (c.minFit === undefined || x.fit >= c.minFit) &&
    (c.minEngagement === undefined || x.engagement >= c.minEngagement) &&
    (c.milestone === undefined || x.reached.has(c.milestone))
  );
}

function describe(c: CompiledCriterion, x: StageInputs): string {
  const parts: string[] = [];
  if (c.milestone !== undefined) parts.push(`milestone "${c.milestoneLabel}" reached`);
  if (c.minScore !== undefined) parts.push(`score ${x.score} ≥ ${c.minScore}`);
  if (c.minFit !== undefined) parts.push(`fit ${x.fit} ≥ ${c.minFit}`);
  if (c.minEngagement !== undefined) parts.push(`engagement ${x.engagement} ≥ ${c.minEngagement}`);
  return parts.join(' and ');
}
