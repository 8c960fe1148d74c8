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
  /** Why the stage is what it is, one sentence, e.g. 'SQL: milestone "Requested a demo" reached.' or 'MQL: score 72.04 ≥ 50.' */
  stageReason: string;
  breakdown: BreakdownLine[];
  /** Most recent milestones first, at most 5: each milestone rule once, at its newest occurrence. */
  milestones: ScoredMilestone[];
  /** Echoes the lead's derived attribute (the engine never derives it: see shared/email-domains.ts). */
  emailDomainType?: EmailDomainType;
}

export type { ScorableEvent };

/**
 * What the engine remembers about one engagement rule for one lead. Its size is bounded by the
 * rule's maxCount, not by the number of events.
 */
export interface RuleTally {
  /** Occurrences absorbed so far. */
  n: number;
  /** Epoch ms of the newest occurrence (0 while `n` is 0): the anchor `sum` is relative to. */
  at: number;
  /**
   * Rules without maxCount: the decay-weighted count, sum of 2^((t - at) / halfLife) over every
   * occurrence. Kept relative to the newest occurrence, so it never exceeds `n` and never overflows.
   */
  sum: number;
  /** Rules with maxCount: the times of the newest maxCount occurrences, oldest first. */
  recent?: number[];
}

/**
 * The incremental form of a lead's engagement: plain JSON (store it in a column), bounded in size,
 * updated by absorbEvents without rereading old events. It depends only on which events each
 * rule counts and how they decay, never on points or attributes, so editing points, labels,
 * caps or fit rules does not invalidate it; `fingerprint` changes when anything it depends on does.
 */
export interface LeadAggregate {
  format: 1;
  /** The model version that last absorbed into this aggregate (informational). */
  modelVersion: number;
  /** Equals CompiledModel.fingerprint of every model this aggregate is valid for. */
  fingerprint: string;
  /** One tally per engagement rule, in the model's rule order. */
  rules: RuleTally[];
}
