/** One bar: a rate with its 95% interval, over `n` closed leads. */
export interface IntervalBar {
  label: string;
  rate: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

export interface BarLayout {
  label: string;
  /** Left edge and width of the bar; its top (y) and height. Null rate: no bar. */
  x: number;
  width: number;
  y: number | null;
  height: number;
  /** The interval's whisker, top and bottom y; null without an interval. */
  whisker: { x: number; top: number; bottom: number } | null;
  text: string;
}

export interface ChartLayout {
  bars: BarLayout[];
  /** Gridlines: a rate and its y. */
  ticks: { value: number; y: number }[];
  /** The base rate's y (dashed line), if known. */
  baseY: number | null;
  plot: { left: number; top: number; width: number; height: number };
}

/** The smallest step of 5, 10, 20 or 25 percentage points that gives at most 5 gridlines up to `max`. */
function tickStep(max: number): number {
  return [0.05, 0.1, 0.2, 0.25].find((step) => max / step <= 5) ?? 0.25;
}

export const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

/**
 * Where every bar, whisker and gridline of a rate chart goes in a `width` x `height` box. The
 * scale runs from 0 to the highest interval end (rounded up to a gridline), so every interval fits.
 */
export function layoutIntervals(bars: readonly IntervalBar[], base: number | null, width: number, height: number): ChartLayout {
  const plot = { left: 44, top: 12, width: width - 56, height: height - 52 };
  const highest = Math.max(base ?? 0, ...bars.map((b) => b.high ?? b.rate ?? 0), 0.05);
  const step = tickStep(highest);
  const top = Math.min(1, Math.ceil(highest / step - 1e-9) * step);
  const y = (rate: number) => plot.top + plot.height * (1 - rate / top);
  const slot = plot.width / Math.max(1, bars.length);
  const barWidth = Math.min(80, slot * 0.6);
  const ticks = [];
  for (let value = 0; value <= top + 1e-9; value += step) ticks.push({ value: Math.round(value * 100) / 100, y: y(value) });
  return {
    plot,
    ticks,
    baseY: base === null ? null : y(base),
    bars: bars.map((bar, i) => {
      const center = plot.left + slot * (i + 0.5);
      const barTop = bar.rate === null ? null : y(bar.rate);
      return {
        label: bar.label,
        x: center - barWidth / 2,
        width: barWidth,
        y: barTop,
        height: barTop === null ? 0 : plot.top + plot.height - barTop,
        whisker: bar.low === null || bar.high === null ? null : { x: center, top: y(bar.high), bottom: y(bar.low) },
        text: bar.rate === null ? `no closed leads` : `${percent(bar.rate)} (n=${bar.n})`,
      };
    }),
  };
}
