import { higherStage } from '../../../shared/index';
import { isRepSet, type LeadRecord } from './lead-record';

/**
 * `into` (the survivor a rep chose) after absorbing `from`: a rep's value beats one from traits
 * or the system, and between two of the same kind the survivor's wins; fields the survivor lacks
 * (email, name, LinkedIn URL, outcome) come from `from`; the higher stage wins. The aggregate is
 * left to be rebuilt from the combined events.
 */
export function mergeLeadRecords(into: LeadRecord, from: LeadRecord, now: number): LeadRecord {
  const attributes = { ...from.attributes };
  for (const [key, value] of Object.entries(into.attributes)) {
    const other = attributes[key];
    if (!other || isRepSet(value) || !isRepSet(other)) attributes[key] = value;
  }
  return {
    ...into,
    email: into.email ?? from.email,
    name: into.name ?? from.name,
    linkedinUrl: into.linkedinUrl ?? from.linkedinUrl,
    attributes,
    stage: higherStage(into.stage, from.stage),
    outcome: into.outcome ?? from.outcome,
    outcomeAt: into.outcome ? into.outcomeAt : from.outcomeAt,
    createdAt: Math.min(into.createdAt, from.createdAt),
    updatedAt: now,
  };
}
