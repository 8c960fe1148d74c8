import type { Grade, Stage } from '../../shared/schemas/model';
import type { Outcome } from '../../shared/schemas/lead';
import type { TAGGABLE_ATTRIBUTES } from '../../shared/schemas/attributes';
import { STAGE_RANK } from '../../shared/scoring/stage';

// The schemas' enums are zod objects; importing them would put zod in the console's first load.
// These lists are type-checked against them instead, so a new value fails `tsc` until added here.
export const STAGES = Object.keys(STAGE_RANK) as Stage[];
export const GRADES = ['A', 'B', 'C', 'D'] as const satisfies readonly Grade[];
export const OUTCOMES = ['won', 'lost'] as const satisfies readonly Outcome[];
export const TAGGABLE = ['company', 'industry', 'seniority', 'companySize', 'budget', 'decisionMaker', 'productFit', 'rating'] as const satisfies typeof TAGGABLE_ATTRIBUTES;
