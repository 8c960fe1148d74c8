import { describe, expect, it } from 'vitest';
import { conversionRate, formatRate, lift, wilsonInterval } from '../../../shared/evidence';

describe('Wilson interval', () => {
  it('matches hand arithmetic for 42 of 100', () => {
    // p = 0.42, z = 1.96, z² = 3.8416, z²/n = 0.038416
    // center = (0.42 + 3.8416/200) / 1.038416 = 0.439208 / 1.038416 = 0.422960
    // half   = 1.96 / 1.038416 * sqrt(0.42*0.58/100 + 3.8416/40000) = 1.887490 * sqrt(0.00253204) = 0.094977
    // -> 0.327983 .. 0.517937
    const interval = wilsonInterval(42, 100)!;
    expect(interval.low).toBeCloseTo(0.32798, 4);
    expect(interval.high).toBeCloseTo(0.51794, 4);
  });

  it('stays inside 0..1 at the edges: 0 of 10 has upper bound z²/(n+z²)', () => {
    // 3.8416 / 13.8416 = 0.277540
    expect(wilsonInterval(0, 10)).toEqual({ low: 0, high: expect.closeTo(0.27754, 4) });
    // By symmetry 10 of 10 has lower bound 1 - 0.277540.
    expect(wilsonInterval(10, 10)!.low).toBeCloseTo(0.72246, 4);
    expect(wilsonInterval(10, 10)!.high).toBe(1);
  });

  it('is unknown for no trials', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('conversion rate, lift and how a rep reads them', () => {
  it('conversion by tier against hand arithmetic, with lift over the base rate', () => {
    // Hot 42 won / 58 lost, Cold 8 won / 92 lost: base rate 50/200 = 25%.
    const hot = conversionRate(42, 58);
    const cold = conversionRate(8, 92);
    expect(hot).toMatchObject({ n: 100, rate: 0.42 });
    expect(lift(hot.rate, 50 / 200)).toBeCloseTo(1.68, 12); // 0.42 / 0.25
    expect(lift(cold.rate, 50 / 200)).toBeCloseTo(0.32, 12); // 0.08 / 0.25
    expect(formatRate('Hot', hot)).toBe('Hot: 42% (33-52%, n=100)');
  });

  it('has no rate, interval or lift for a group without closed leads', () => {
    const empty = conversionRate(0, 0);
    expect(empty).toEqual({ won: 0, lost: 0, n: 0, rate: null, low: null, high: null });
    expect(lift(empty.rate, 0.3)).toBeNull();
    expect(lift(0.3, 0)).toBeNull();
    expect(formatRate('Warm', empty)).toBe('Warm: no closed leads');
  });
});
