import { describe, expect, it } from 'vitest';
import { higherStage, scoreLead, type LeadInput, type ScoringModel, type Stage } from '../../../shared/index';
import { model, NOW } from '../support/models';

/** A model where the `f` attribute is the fit and each "E" event is worth `e` engagement points. */
function scored(fit: number, engagement: number, lead: Partial<LeadInput> = {}, extra: Partial<Pick<ScoringModel, 'tiers' | 'grades' | 'stages'>> = {}) {
  const m = model({
    fit: [{ id: 'fit', label: 'fit', points: fit, when: [{ attr: 'f', op: 'exists' }] }],
    engagement: [
      { id: 'e', label: 'E', event: 'E', points: engagement },
      { id: 'demo', label: 'Requested a demo', event: 'Demo', points: 0, milestone: true },
    ],
    stages: { MQL: [{ minScore: 40 }, { minFit: 25, minEngagement: 5 }], SQL: [{ milestone: 'demo' }, { minScore: 80 }] },
    ...extra,
  });
  const events = [{ event: 'E', at: NOW }, ...(lead.attributes?.demo ? [{ event: 'Demo', at: NOW }] : [])];
  return scoreLead(m, { attributes: { f: 1, ...lead.attributes }, stage: lead.stage, outcome: lead.outcome }, events, NOW);
}

describe('tiers', () => {
  it('take the first threshold the score reaches, boundaries included', () => {
    expect([69.99, 70, 39.99, 40, 0].map((s) => scored(30, s - 30).tier)).toEqual(['Warm', 'Hot', 'Cold', 'Warm', 'Cold']);
  });

  it('fall back to the lowest tier when the score is below every threshold', () => {
    const tiers = [
      { name: 'Hot', min: 70 },
      { name: 'Lukewarm', min: 10 },
    ];
    expect(scored(5, 0, {}, { tiers }).tier).toBe('Lukewarm');
  });
});

describe('grades', () => {
  it('come from fit alone, boundaries included, D below the last', () => {
    expect([30, 29.99, 20, 19.99, 10, 9.99, -5].map((f) => scored(f, 40).grade)).toEqual(['A', 'B', 'B', 'C', 'C', 'D', 'D']);
  });
});

describe('stages', () => {
  it('Prospect -> MQL by score or by fit and engagement together -> SQL', () => {
    expect(scored(10, 29.99).stage).toBe('Prospect');
    expect(scored(10, 29.99).stageReason).toBe('Prospect: no MQL criterion is met yet.');
    expect(scored(10, 30).stage).toBe('MQL');
    expect(scored(10, 30).stageReason).toBe('MQL: score 40 ≥ 40.');
    expect(scored(25, 5).stage).toBe('MQL');
    expect(scored(25, 5).stageReason).toBe('MQL: fit 25 ≥ 25 and engagement 5 ≥ 5.');
    expect(scored(25, 4.99).stage).toBe('Prospect');
    expect(scored(50, 30).stage).toBe('SQL');
  });

  it('a named milestone reaches SQL whatever the score', () => {
    const r = scored(0, 0, { attributes: { demo: true } });
    expect(r.stage).toBe('SQL');
    expect(r.stageReason).toBe('SQL: milestone "Requested a demo" reached.');
  });

  it('never fall back on their own: a current stage is the floor', () => {
    const r = scored(0, 0, { stage: 'SQL' });
    expect(r.score).toBe(0);
    expect(r.stage).toBe('SQL');
    expect(r.stageReason).toMatch(/^SQL: kept, because stages never move back on their own/);
    expect(scored(0, 0, { stage: 'MQL' }).stage).toBe('MQL');
    expect(scored(50, 30, { stage: 'MQL' }).stage).toBe('SQL');
  });

  it('outcomes decide Customer and Disqualified, over any stage', () => {
    for (const stage of ['Prospect', 'SQL', 'Disqualified', undefined] as (Stage | undefined)[]) {
      expect(scored(0, 0, { stage, outcome: 'won' }).stage).toBe('Customer');
    }
    expect(scored(50, 50, { stage: 'Customer', outcome: 'lost' })).toMatchObject({ stage: 'Disqualified', stageReason: 'Disqualified: the deal was lost.' });
  });

  it('a stage a rep set is respected: Customer and Disqualified stay without an outcome', () => {
    expect(scored(50, 50, { stage: 'Disqualified' }).stage).toBe('Disqualified');
    expect(scored(0, 0, { stage: 'Customer' }).stage).toBe('Customer');
    expect(scored(0, 0, { stage: 'Prospect' }).stage).toBe('Prospect');
  });

  it('when two records of one person meet, the further stage wins and a won deal outranks a lost one', () => {
    expect(higherStage('Disqualified', 'Customer')).toBe('Customer');
    expect(higherStage('Customer', 'Disqualified')).toBe('Customer');
    expect(higherStage('SQL', 'MQL')).toBe('SQL');
    expect(higherStage('Prospect', 'Disqualified')).toBe('Disqualified');
  });

  it('a score rounded up to a threshold reaches it; stages use the capped score', () => {
    expect(scored(39.996, 0).stage).toBe('MQL');
    expect(scored(300, 300).stage).toBe('SQL');
  });
});
