import { higherStage } from '../../../shared/index';
import type { LeadRecord } from './lead-record';

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
