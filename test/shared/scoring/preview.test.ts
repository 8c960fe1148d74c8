import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, EventName, LeadDetail, compileModel, previewWithAttributes, scoreLead, type LeadAttributes } from '../../../shared/index';
import { DAY, NOW, round2 } from '../support/models';

const compiled = compileModel(DEFAULT_MODEL);
const events = [
  { event: EventName.webinarAttended, at: NOW - 2 * DAY },
  { event: EventName.emailLinkClicked, at: NOW - DAY },
];
const before: LeadAttributes = { industry: 'Retail', emailDomainType: 'business' };

describe('previewWithAttributes (the popup shows a tag\'s effect without the events)', () => {
  it('recomputes fit, grade, tier and stage for new attributes and keeps the engagement lines', () => {
    const previous = scoreLead(compiled, { attributes: before }, events, NOW);
    expect([previous.fit, previous.tier, previous.stage]).toEqual([0, 'Cold', 'Prospect']);
    const tagged: LeadAttributes = { ...before, industry: 'Software', seniority: 'c-level', budget: true, decisionMaker: true };
    const preview = previewWithAttributes(compiled, { attributes: tagged }, previous);
    const full = scoreLead(compiled, { attributes: tagged }, events, NOW);
    expect(preview).toEqual(full);
    expect([preview.fit, preview.grade, preview.tier, preview.stage]).toEqual([40, 'A', 'Warm', 'MQL']);
  });

  it('never moves the stage back: the previous stage is the floor unless the lead gives one', () => {
    const previous = scoreLead(compiled, { attributes: { ...before, budget: true, decisionMaker: true, seniority: 'vp' } }, events, NOW);
    expect(previous.stage).toBe('MQL');
    expect(previewWithAttributes(compiled, { attributes: before }, previous).stage).toBe('MQL');
    expect(previewWithAttributes(compiled, { attributes: before, outcome: 'lost' }, previous).stage).toBe('Disqualified');
  });

  it('works from a LeadDetail the API returned (milestones with ISO dates)', () => {
    const r = scoreLead(compiled, { attributes: before }, events, NOW);
    const detail = LeadDetail.parse({
      id: 'l1', email: 'a@acme.test', name: null, linkedinUrl: null,
      score: r.score, fit: r.fit, engagement: r.engagement, grade: r.grade, tier: r.tier, stage: r.stage,
      milestones: r.milestones.map((m) => ({ ...m, at: new Date(m.at).toISOString() })),
      reasons: [], modelVersion: compiled.version, scoredAt: new Date(NOW).toISOString(), attributes: [], breakdown: r.breakdown, stageHistory: [], outcome: null,
      timeline: { events: [], nextCursor: null },
    });
    const preview = previewWithAttributes(compiled, { attributes: { ...before, productFit: 'high' } }, detail);
    expect(preview.score).toBe(round2(r.score + 10));
    expect(preview.milestones).toEqual(detail.milestones);
  });

  it('a milestone in the previous breakdown still satisfies a milestone stage criterion', () => {
    const previous = scoreLead(compiled, { attributes: before }, [{ event: EventName.demoRequested, at: NOW }], NOW);
    expect(previewWithAttributes(compiled, { attributes: { industry: 'Software' } }, { ...previous, stage: undefined }).stage).toBe('SQL');
  });
});
