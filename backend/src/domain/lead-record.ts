// Types and pure functions only: rescore workers load this module too.
import type { LeadAggregate, LeadAttributes, LeadInput, Outcome, ScoreResult, Stage } from '../../../shared/index';

export interface AttributeValue {
  value: string | number | boolean;
  setBy: string;
  setAt: number;
}

/** Who sets attributes when no rep does: identify traits, and the system (values it derives, such as emailDomainType). */
export const SET_BY_IDENTIFY = 'identify';
export const SET_BY_SYSTEM = 'system';

/** True when a rep (a token) set this value: such a value is only ever replaced by a rep. */
export function isRepSet(attribute: AttributeValue): boolean {
  return attribute.setBy !== SET_BY_IDENTIFY && attribute.setBy !== SET_BY_SYSTEM;
}

/** The score a lead stores, as of its last scoring; reads rescore it from the aggregate. */
export interface StoredScore {
  stage: Stage;
  score: number;
  fit: number;
  engagement: number;
  tier: string;
  grade: string;
}

/** A lead as stored: its last score (at `scoredAt`) and the aggregate to rescore it at any time. */
export interface LeadRecord extends StoredScore {
  id: string;
  workspaceId: string;
  email: string | null;
  name: string | null;
  linkedinUrl: string | null;
  attributes: Record<string, AttributeValue>;
  outcome: Outcome | null;
  /** When the outcome happened (epoch ms), when known. */
  outcomeAt: number | null;
  aggregate: LeadAggregate;
  scoredAt: number;
  /** The model version the stored score is from. */
  modelVersion: number;
  createdAt: number;
  updatedAt: number;
  /** The account the lead is in (store/accounts/), or null. */
  accountId: string | null;
}

/** What a new lead stores before its first scoring. */
export const UNSCORED: StoredScore = { stage: 'Prospect', score: 0, fit: 0, engagement: 0, tier: '', grade: 'D' };

export function storedScore(result: ScoreResult): StoredScore {
  return { stage: result.stage, score: result.score, fit: result.fit, engagement: result.engagement, tier: result.tier, grade: result.grade };
}

/** Attribute values without their provenance, as the scoring engine reads them. */
export function attributeValues(attributes: Record<string, AttributeValue>): LeadAttributes {
  const values: Record<string, string | number | boolean> = {};
  for (const key in attributes) values[key] = attributes[key]!.value;
  return values as LeadAttributes;
}

/** What the scoring engine needs from a stored lead. */
export function leadInput(lead: Pick<LeadRecord, 'email' | 'attributes' | 'stage' | 'outcome'>): LeadInput {
  return { email: lead.email, attributes: attributeValues(lead.attributes), stage: lead.stage, outcome: lead.outcome };
}
