import { describe, expect, it } from 'vitest';
import { layoutIntervals, percent } from '../../console/src/charts/interval-chart';

const bars = [
  { label: 'Hot', rate: 0.4, low: 0.3, high: 0.5, n: 100 },
  { label: 'Warm', rate: 0.2, low: 0.15, high: 0.26, n: 200 },
  { label: 'Cold', rate: null, low: null, high: null, n: 0 },
];

describe('the conversion chart layout', () => {
  const layout = layoutIntervals(bars, 0.25, 640, 260);
  const bottom = layout.plot.top + layout.plot.height;

  it('scales from 0 to a gridline at or above the highest interval end, so every whisker fits', () => {
    expect(layout.ticks.map((t) => t.value)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(layout.ticks[0]!.y).toBe(bottom);
    expect(layout.ticks.at(-1)!.y).toBe(layout.plot.top);
    for (const bar of layout.bars) if (bar.whisker) expect(bar.whisker.top).toBeGreaterThanOrEqual(layout.plot.top);
  });

  it('draws taller bars for higher rates, each whisker spanning its interval around the bar top', () => {
    const [hot, warm, cold] = layout.bars;
    expect(hot!.height).toBeCloseTo(2 * warm!.height);
    expect(hot!.whisker!.top).toBeLessThan(hot!.y!);
    expect(hot!.whisker!.bottom).toBeGreaterThan(hot!.y!);
    expect(hot!.y! + hot!.height).toBeCloseTo(bottom);
    expect(cold).toMatchObject({ y: null, height: 0, whisker: null, text: 'no closed leads' });
    expect(hot!.text).toBe('40% (n=100)');
  });

  it('places the base rate line between the bars it separates', () => {
    expect(layout.baseY!).toBeGreaterThan(layout.bars[0]!.y!);
    expect(layout.baseY!).toBeLessThan(layout.bars[1]!.y!);
  });

  it('keeps small rates readable: the scale never collapses below 5%', () => {
    const tiny = layoutIntervals([{ label: 'A', rate: 0, low: 0, high: 0.01, n: 50 }], null, 640, 260);
    expect(tiny.ticks.map((t) => t.value)).toEqual([0, 0.05]);
    expect(percent(0.1234)).toBe('12.3%');
  });
});
