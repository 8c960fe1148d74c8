import { describe, expect, it } from 'vitest';
import { MAX_REPORT_GROUPS } from '../../../shared/index';
import { ConversionTally } from '../../../backend/src/reports/conversion-tally';
import { createdPeriod } from '../../../backend/src/reports/report-period';

const lead = (score: number, outcome: 'won' | 'lost' | null, attributes: Record<string, unknown> = {}) => ({ score, tier: score >= 70 ? 'Hot' : 'Cold', grade: 'B', outcome, accountTier: null, attributes });

describe('ConversionTally', () => {
  it('keeps a breakdown to MAX_REPORT_GROUPS values, summing later ones as (other) and missing ones as (none)', () => {
    const tally = new ConversionTally(['company']);
    for (let i = 0; i < MAX_REPORT_GROUPS + 50; i++) tally.add(lead(50, i % 2 ? 'won' : 'lost', { company: `Company ${i}` }));
    tally.add(lead(50, 'won', { company: { nested: true } }));
    tally.add(lead(50, null));
    const groups = tally.result(['Hot', 'Cold']).byAttribute.company!;
    const other = groups.find((g) => g.value === '(other)')!;
    const none = groups.find((g) => g.value === '(none)')!;
    // The first MAX_REPORT_GROUPS named values, then (other) and (none).
    expect(groups.length).toBe(MAX_REPORT_GROUPS + 2);
    expect(other.n).toBe(50);
    expect(none).toMatchObject({ won: 1, lost: 0, open: 1 });
  });

  it('lists tiers in the model\'s order and labels numbers and booleans as text', () => {
    const tally = new ConversionTally(['budget']);
    tally.add(lead(10, 'lost', { budget: false }));
    tally.add(lead(90, 'won', { budget: true }));
    const result = tally.result(['Hot', 'Warm', 'Cold']);
    expect(result.byTier.map((g) => g.value)).toEqual(['Hot', 'Cold']);
    expect(result.byAttribute.budget!.map((g) => g.value).sort()).toEqual(['false', 'true']);
    expect(result.auc).toBe(1);
  });

  it("lists account tiers in the model's order, unknown ones after, leads in no account last", () => {
    const tally = new ConversionTally([]);
    for (const accountTier of [null, 'Cold', 'Retired', 'Hot', null]) tally.add({ ...lead(50, 'won'), accountTier });
    const groups = tally.result(['Hot', 'Cold'], ['Hot', 'Warm', 'Cold']).byAccountTier;
    expect(groups.map((g) => [g.value, g.won])).toEqual([
      ['Hot', 1],
      ['Cold', 1],
      ['Retired', 1],
      ['(no account)', 2],
    ]);
  });

  it('reports nothing to rank when no lead has an outcome', () => {
    const tally = new ConversionTally([]);
    tally.add(lead(40, null));
    const result = tally.result(['Hot']);
    expect(result).toMatchObject({ leads: 1, open: 1, auc: null, overall: { n: 0, rate: null } });
    expect(result.byTier[0]).toMatchObject({ value: 'Cold', open: 1, rate: null, lift: null });
  });
});

describe('createdPeriod', () => {
  it('reads a bare `to` day as the end of that day and refuses an empty period', () => {
    expect(createdPeriod('2025-03-01', '2025-03-31')).toEqual({ from: Date.parse('2025-03-01T00:00:00Z'), to: Date.parse('2025-04-01T00:00:00Z') });
    expect(createdPeriod(undefined, '2025-03-01T10:00:00+02:00')).toEqual({ from: null, to: Date.parse('2025-03-01T08:00:00Z') });
    expect(() => createdPeriod('2025-03-02', '2025-03-01')).toThrow(expect.objectContaining({ code: 'invalid_period' }));
  });
});
