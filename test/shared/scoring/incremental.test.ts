import { describe, expect, it } from 'vitest';
import {
  absorbEvents,
  compileModel,
  emptyAggregate,
  isAggregateCurrent,
  previewWithAttributes,
  scoreAggregate,
  scoreLead,
  StaleAggregateError,
  type LeadAggregate,
  type ScoringModel,
} from '../../../shared/index';
import { randomAttributes, randomChunks, randomEvents, randomModel, shuffled } from '../support/random-models';
import { DAY, model, NOW, prng, round2, sum } from '../support/models';

const CASES = 400;

describe('randomized histories (seeded)', () => {
  it('the score is always within 0..100 with 2 decimals, and the breakdown adds up to the unclamped total', () => {
    const rand = prng(1);
    for (let i = 0; i < CASES; i++) {
      const m = randomModel(rand);
      const r = scoreLead(m, { attributes: randomAttributes(rand) }, randomEvents(rand), NOW);
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(100);
      expect(Math.round(r.score * 100) / 100).toBe(r.score);
      expect(round2(sum(r.breakdown.map((l) => l.points)))).toBe(r.unclamped);
      expect(r.score).toBe(Math.min(100, Math.max(0, round2(r.fit + r.engagement))));
      expect(Math.abs(r.fit)).toBeLessThanOrEqual(m.fit.max);
      expect(Math.abs(r.engagement)).toBeLessThanOrEqual(m.engagement.max);
      expect(r.milestones.length).toBeLessThanOrEqual(5);
      expect(r.milestones.map((x) => x.at)).toEqual(r.milestones.map((x) => x.at).sort((a, b) => b - a));
    }
  });

  it('incremental equals from scratch exactly, for any split into chunks stored as JSON in between', () => {
    const rand = prng(2);
    for (let i = 0; i < CASES; i++) {
      const compiled = compileModel(randomModel(rand));
      const lead = { attributes: randomAttributes(rand) };
      const events = randomEvents(rand);
      let agg = emptyAggregate(compiled);
      for (const chunk of randomChunks(rand, events)) agg = JSON.parse(JSON.stringify(absorbEvents(compiled, agg, chunk, NOW))) as LeadAggregate;
      expect(agg).toEqual(absorbEvents(compiled, emptyAggregate(compiled), events, NOW));
      expect(scoreAggregate(compiled, lead, agg, NOW)).toEqual(scoreLead(compiled, lead, events, NOW));
    }
  });

  it('a different arrival order gives the same result after rounding', () => {
    const rand = prng(3);
    for (let i = 0; i < CASES; i++) {
      const compiled = compileModel(randomModel(rand));
      const lead = { attributes: randomAttributes(rand) };
      const events = randomEvents(rand);
      expect(scoreLead(compiled, lead, shuffled(rand, events), NOW)).toEqual(scoreLead(compiled, lead, events, NOW));
    }
  });

  it('is deterministic: same model, attributes, events and now give the same result, compiled or not', () => {
    const rand = prng(4);
    for (let i = 0; i < 50; i++) {
      const m = randomModel(rand);
      const lead = { attributes: randomAttributes(rand) };
      const events = randomEvents(rand);
      const first = scoreLead(m, lead, events, NOW);
      expect(scoreLead(structuredClone(m), structuredClone(lead), structuredClone(events), NOW)).toEqual(first);
      expect(scoreLead(compileModel(m), lead, events, NOW)).toEqual(first);
    }
  });

  it('a preview with unchanged attributes reproduces the result it started from', () => {
    const rand = prng(5);
    for (let i = 0; i < CASES; i++) {
      const compiled = compileModel(randomModel(rand));
      const lead = { attributes: randomAttributes(rand) };
      const r = scoreLead(compiled, lead, randomEvents(rand), NOW);
      expect(previewWithAttributes(compiled, lead, r)).toEqual(r);
    }
  });
});

describe('the aggregate', () => {
  const m = model({
    engagement: [
      { id: 'open', label: 'Opened', event: 'Email Opened', points: 1 },
      { id: 'visit', label: 'Visited', event: 'Page Viewed', points: 2, maxCount: 5 },
    ],
  });
  const many = (n: number, name: string) => Array.from({ length: n }, (_, i) => ({ event: name, at: NOW - (n - i) * 3_600_000 }));

  it('is plain JSON whose size does not grow with the number of events', () => {
    const small = absorbEvents(m, emptyAggregate(m), [...many(10, 'Email Opened'), ...many(10, 'Page Viewed')], NOW);
    const large = absorbEvents(m, emptyAggregate(m), [...many(20_000, 'Email Opened'), ...many(20_000, 'Page Viewed')], NOW);
    expect(JSON.parse(JSON.stringify(large))).toEqual(large);
    expect(JSON.stringify(large).length).toBeLessThan(JSON.stringify(small).length + 40);
    expect(scoreAggregate(m, { attributes: {} }, large, NOW).breakdown.map((l) => l.count)).toEqual([20_000, 5]);
  });

  it('absorbing never changes the aggregate it was given', () => {
    const before = absorbEvents(m, emptyAggregate(m), many(3, 'Page Viewed'), NOW);
    const snapshot = structuredClone(before);
    absorbEvents(m, before, many(8, 'Page Viewed'), NOW);
    expect(before).toEqual(snapshot);
  });

  it('carries the model version and a fingerprint; points and fit changes keep it valid, matching changes make it stale', () => {
    const agg = absorbEvents(m, emptyAggregate(m), many(3, 'Email Opened'), NOW);
    expect(agg).toMatchObject({ modelVersion: 1, fingerprint: compileModel(m).fingerprint });
    const repointed: ScoringModel = { ...m, version: 2, engagement: { ...m.engagement, rules: m.engagement.rules.map((r) => ({ ...r, points: 10, label: 'x' })) } };
    expect(isAggregateCurrent(repointed, agg)).toBe(true);
    expect(scoreAggregate(repointed, { attributes: {} }, agg, NOW).breakdown[0]!.points).toBe(round2(10 * sum([1, 2, 3].map((h) => 2 ** (-h / 240)))));

    const changes: ScoringModel[] = [
      { ...m, halfLifeDays: 11 },
      { ...m, engagement: { ...m.engagement, rules: [{ ...m.engagement.rules[0]!, event: 'Email Clicked' }, m.engagement.rules[1]!] } },
      { ...m, engagement: { ...m.engagement, rules: [m.engagement.rules[0]!, { ...m.engagement.rules[1]!, maxCount: 6 }] } },
      { ...m, engagement: { ...m.engagement, rules: [m.engagement.rules[0]!, { ...m.engagement.rules[1]!, where: [{ prop: 'path', op: 'exists' }] }] } },
      { ...m, engagement: { ...m.engagement, rules: [...m.engagement.rules].reverse() } },
    ];
    for (const changed of changes) {
      expect(isAggregateCurrent(changed, agg)).toBe(false);
      expect(() => scoreAggregate(changed, { attributes: {} }, agg, NOW)).toThrow(StaleAggregateError);
      expect(() => absorbEvents(changed, agg, [], NOW)).toThrow(StaleAggregateError);
    }
  });

  it('ages are measured at scoring time: the same aggregate decays as now moves on', () => {
    const agg = absorbEvents(m, emptyAggregate(m), [{ event: 'Page Viewed', at: NOW }], NOW);
    expect(scoreAggregate(m, { attributes: {} }, agg, NOW + 10 * DAY).engagement).toBe(1);
    expect(scoreAggregate(m, { attributes: {} }, agg, NOW + 20 * DAY).engagement).toBe(0.5);
  });

  it('ignores events whose time is not a number', () => {
    const agg = absorbEvents(m, emptyAggregate(m), [{ event: 'Email Opened', at: Number.NaN }, { event: 'Email Opened', at: NOW }], NOW);
    expect(scoreAggregate(m, { attributes: {} }, agg, NOW).engagement).toBe(1);
  });
});
