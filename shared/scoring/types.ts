import type { EmailDomainType, LeadAttributes } from '../schemas/attributes';
import type { ScorableEvent } from '../schemas/event';
import type { Grade, Stage } from '../schemas/model';
import type { BreakdownLine, Outcome } from '../schemas/lead';

/** What the engine needs to know about a lead besides its events. */
export interface LeadInput {
  email?: string | null;
  attributes: LeadAttributes;
  /** The stage the lead is in now; computed stages never fall below it. */
  stage?: Stage;
  outcome?: Outcome | null;
}

export interface ScoredMilestone {
  ruleId: string;
  label: string;
  /** Epoch milliseconds. */
  at: number;
}

export interface ScoreResult {
  /** Total clamped to 0..100, rounded to 2 decimals. */
  score: number;
  /** Fit points after the fit cap. */
  fit: number;
  /** Engagement points after decay and the engagement cap. */
  engagement: number;
  /** Sum of the breakdown: fit + engagement before category caps and clamping. */
  unclamped: number;
  grade: Grade;
  tier: string;
  stage: Stage;
  /** Why the stage is what it is, e.g. "score 72 >= 50" or "milestone demo-requested". */
  stageReason: string;
  breakdown: BreakdownLine[];
  /** Most recent milestones first, at most 5. */
  milestones: ScoredMilestone[];
  emailDomainType?: EmailDomainType;
}

export type { ScorableEvent };
