import type { Stage } from '../../../shared/index';
import type { LeadRecord } from '../store/store';

const STAGE_RANK: Record<Stage, number> = { Prospect: 0, MQL: 1, SQL: 2, Disqualified: 3, Customer: 4 };

function higherStage(a: Stage, b: Stage): Stage {
  return STAGE_RANK[b] > STAGE_RANK[a] ? b : a;
}

/**
 * `into` after absorbing `from` (the same person): each attribute keeps its most recent value,
 * missing fields are filled from `from`, the higher stage wins. The aggregate is left to be
 * rebuilt from the combined events.
 */
export function mergeLeadRecords(into: LeadRecord, from: LeadRecord, now: number): LeadRecord {
  const attributes = { ...from.attributes };
  for (const [key, value] of Object.entries(into.attributes)) {
    const other = attributes[key];
    if (!other || other.setAt <= value.setAt) attributes[key] = value;
  }
  return {
    ...into,
    email: into.email ?? from.email,
    name: into.name ?? from.name,
    linkedinUrl: into.linkedinUrl ?? from.linkedinUrl,
    attributes,
    stage: higherStage(into.stage, from.stage),
    outcome: into.outcome ?? from.outcome,
    createdAt: Math.min(into.createdAt, from.createdAt),
    updatedAt: now,
  };
}
