import { LeadSummary } from '../../../shared';

let next = 1;

/** A valid LeadSummary (checked against the shared schema), Hot unless told otherwise. */
export function makeLead(overrides: Partial<LeadSummary> = {}): LeadSummary {
  const id = overrides.id ?? `lead_${next++}`;
  return LeadSummary.parse({
    id,
    email: `${id}@acme.example`,
    name: 'Alice Example',
    linkedinUrl: null,
    score: 72.4,
    fit: 30,
    engagement: 42.4,
    grade: 'A',
    tier: 'Hot',
    stage: 'MQL',
    milestones: [
      { ruleId: 'webinar-attended', label: 'Attended webinar', at: new Date(Date.now() - 2 * 86_400_000).toISOString() },
      { ruleId: 'webinar-registered', label: 'Registered for webinar', at: new Date(Date.now() - 9 * 86_400_000).toISOString() },
    ],
    reasons: [
      { label: 'Attended webinar', points: 20 },
      { label: 'Senior title', points: 15 },
      { label: 'Personal email address', points: -10 },
    ],
    scoredAt: new Date().toISOString(),
    modelVersion: 1,
    ...overrides,
  });
}
