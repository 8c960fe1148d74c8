import { describe, expect, it } from 'vitest';
import { absorbEvents, emptyAggregate, scoreAggregate, scoreLead, type EngagementRule, type ScorableEvent } from '../../../shared/index';
import { DAY, model, NOW } from '../support/models';

const rule = (extra: Partial<EngagementRule> = {}): EngagementRule => ({ id: 'r', label: 'R', event: 'E', points: 8, ...extra });
const events = (...daysAgo: number[]): ScorableEvent[] => daysAgo.map((d) => ({ event: 'E', at: NOW - d * DAY }));
const points = (r: EngagementRule, evs: ScorableEvent[], halfLifeDays = 10, now = NOW) =>
  scoreLead(model({ halfLifeDays, engagement: [r] }), { attributes: {} }, evs, now).breakdown[0]?.points ?? 0;

describe('decay', () => {
  it('halves exactly at one half-life, quarters at two; fit never decays', () => {
    expect(points(rule(), events(0))).toBe(8);
    expect(points(rule(), events(10))).toBe(4);
    expect(points(rule(), events(20))).toBe(2);
    expect(points(rule(), events(5))).toBe(5.66); // 8 x 2^(-1/2) = 5.657
    const m = model({ halfLifeDays: 10, fit: [{ id: 'f', label: 'F', points: 12, when: [{ attr: 'budget', op: 'eq', value: true }] }] });
    expect(scoreLead(m, { attributes: { budget: true } }, [], NOW + 10_000 * DAY).fit).toBe(12);
  });

  it('halves exactly for a rule with maxCount too', () => {
    expect(points(rule({ maxCount: 3 }), events(10, 10))).toBe(8);
    expect(points(rule({ maxCount: 3 }), events(20))).toBe(2);
  });

  it('a rule may override the half-life; 0 never decays', () => {
    expect(points(rule({ halfLifeDays: 5 }), events(10))).toBe(2);
    expect(points(rule({ halfLifeDays: 0 }), events(3650))).toBe(8);
    expect(points(rule({ halfLifeDays: 0, maxCount: 2 }), events(3650, 7000, 9000))).toBe(16);
  });

  it('sums occurrences of different ages', () => {
    expect(points(rule(), events(0, 10, 20, 30))).toBe(15); // 8 + 4 + 2 + 1
    expect(points(rule(), events(30, 0, 20, 10))).toBe(15);
  });

  it('counts a future-dated event (a skewed clock) at full points, as age 0', () => {
    expect(points(rule(), events(-5))).toBe(8);
    expect(points(rule(), events(-5, 10))).toBe(12);
    expect(points(rule({ maxCount: 5 }), events(-5, 10))).toBe(12);
  });

  it('an aggregate scored before its newest event never gives more than full points', () => {
    const m = model({ halfLifeDays: 10, engagement: [rule()] });
    const agg = absorbEvents(m, emptyAggregate(m), events(0, 10));
    expect(scoreAggregate(m, { attributes: {} }, agg, NOW - 30 * DAY).engagement).toBe(12);
  });

  it('stays finite over decades of events with a one-day half-life', () => {
    const evs = Array.from({ length: 2000 }, (_, i) => ({ event: 'E', at: NOW - (20 * 365 - (i + 1) * 3.65) * DAY }));
    const r = scoreLead(model({ halfLifeDays: 1, engagement: [rule()] }), { attributes: {} }, evs, NOW);
    expect(Number.isFinite(r.engagement)).toBe(true);
    expect(r.engagement).toBeGreaterThan(8);
    expect(r.engagement).toBeLessThan(8 / (1 - 2 ** -3.65) + 0.01);
    expect(points(rule(), events(1e6), 1)).toBe(0);
  });
});

describe('per-rule caps', () => {
  it('maxCount keeps the most recent occurrences, whatever the arrival order', () => {
    const r = rule({ maxCount: 2 });
    expect(points(r, events(0, 10, 20))).toBe(12);
    expect(points(r, events(20, 0, 10))).toBe(12);
    expect(points(r, events(20, 10, 0))).toBe(12);
    const s = scoreLead(model({ engagement: [r] }), { attributes: {} }, events(20, 10, 0, 30), NOW);
    expect(s.breakdown[0]!.count).toBe(2);
  });

  it('maxPoints caps the absolute points after decay, for negative rules too', () => {
    expect(points(rule({ maxPoints: 20 }), events(0, 0, 0))).toBe(20);
    expect(points(rule({ maxPoints: 20 }), events(10, 10, 10))).toBe(12);
    expect(points(rule({ points: -8, maxPoints: 20 }), events(0, 0, 0))).toBe(-20);
    expect(points(rule({ maxPoints: 10, maxCount: 1 }), events(0, 0))).toBe(8);
  });
});

describe('negative points, category caps and clamping', () => {
  const fitRule = (id: string, points: number) => ({ id, label: id, points, when: [{ attr: id, op: 'exists' as const }] });

  it('negative fit and engagement subtract; the total never goes below 0', () => {
    const m = model({ fit: [fitRule('a', 30), fitRule('b', -40)], engagement: [rule({ points: -5 })] });
    const r = scoreLead(m, { attributes: { a: 1, b: 1 } }, events(0), NOW);
    expect([r.fit, r.engagement, r.unclamped, r.score]).toEqual([-10, -5, -15, 0]);
  });

  it('each category is capped at its max in both directions, the total at 100', () => {
    const m = model({ fit: [fitRule('a', 70)], engagement: [rule({ points: 60 })] });
    const high = scoreLead({ ...m, fit: { ...m.fit, max: 60 }, engagement: { ...m.engagement, max: 60 } }, { attributes: { a: 1 } }, events(0), NOW);
    expect([high.fit, high.engagement, high.unclamped, high.score]).toEqual([60, 60, 130, 100]);
    const low = scoreLead(model({ fit: [fitRule('a', -70)], engagement: [rule({ points: -70 })] }), { attributes: { a: 1 } }, events(0), NOW);
    expect([low.fit, low.engagement, low.unclamped, low.score]).toEqual([-50, -50, -140, 0]);
  });

  it('a capped negative category still offsets the other one', () => {
    const m = model({ fit: [fitRule('a', 50)], engagement: [rule({ points: -80 })] });
    const r = scoreLead(m, { attributes: { a: 1 } }, events(0), NOW);
    expect([r.engagement, r.score]).toEqual([-50, 0]);
    const m2 = model({ fit: [fitRule('a', 50)], engagement: [rule({ points: -30 })] });
    expect(scoreLead(m2, { attributes: { a: 1 } }, events(0), NOW).score).toBe(20);
  });

  it('rounds to 2 decimals, symmetrically for negative points', () => {
    expect(points(rule({ points: 1 }), events(1))).toBe(0.93); // 2^(-0.1) = 0.933
    expect(points(rule({ points: -1 }), events(1))).toBe(-0.93);
    const r = scoreLead(model({ engagement: [rule({ points: 1 / 3 })] }), { attributes: {} }, events(0, 0, 0), NOW);
    expect(r.score).toBe(1);
  });
});
