import { layoutIntervals, percent, type IntervalBar } from './interval-chart';

const WIDTH = 640;
const HEIGHT = 260;

/**
 * Conversion rates as bars with their 95% intervals as whiskers, and the base rate as a dashed
 * line. Plain SVG (no chart library to load); the same numbers are in a table beside it.
 */
export function IntervalChart({ title, bars, base }: { title: string; bars: readonly IntervalBar[]; base: number | null }) {
  const layout = layoutIntervals(bars, base, WIDTH, HEIGHT);
  const summary = `${title}: ${bars.map((b) => `${b.label} ${percent(b.rate)} (95% interval ${percent(b.low)} to ${percent(b.high)}, n=${b.n})`).join('; ')}${base === null ? '' : `; all closed leads ${percent(base)}`}.`;
  const bottom = layout.plot.top + layout.plot.height;
  return (
    <figure class="chart-figure">
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
      {layout.ticks.map((tick) => (
        <g key={tick.value}>
          <line x1={layout.plot.left} x2={layout.plot.left + layout.plot.width} y1={tick.y} y2={tick.y} class="grid" />
          <text x={layout.plot.left - 6} y={tick.y + 4} text-anchor="end" class="axis">
            {percent(tick.value)}
          </text>
        </g>
      ))}
      {layout.bars.map((bar) => (
        <g key={bar.label}>
          {bar.y !== null && <rect x={bar.x} y={bar.y} width={bar.width} height={bar.height} class="bar" />}
          {bar.whisker && (
            <g class="whisker">
              <line x1={bar.whisker.x} x2={bar.whisker.x} y1={bar.whisker.top} y2={bar.whisker.bottom} />
              <line x1={bar.whisker.x - 8} x2={bar.whisker.x + 8} y1={bar.whisker.top} y2={bar.whisker.top} />
              <line x1={bar.whisker.x - 8} x2={bar.whisker.x + 8} y1={bar.whisker.bottom} y2={bar.whisker.bottom} />
            </g>
          )}
          <text x={bar.x + bar.width / 2} y={bottom + 18} text-anchor="middle" class="label">
            {bar.label}
          </text>
          <text x={bar.x + bar.width / 2} y={bottom + 34} text-anchor="middle" class="axis">
            {bar.text}
          </text>
        </g>
      ))}
      {layout.baseY !== null && <line x1={layout.plot.left} x2={layout.plot.left + layout.plot.width} y1={layout.baseY} y2={layout.baseY} class="base" />}
      <line x1={layout.plot.left} x2={layout.plot.left + layout.plot.width} y1={bottom} y2={bottom} class="axis-line" />
    </svg>
    <figcaption class="hint">Bars: conversion of closed leads; whiskers: 95% Wilson interval; dashed line: all closed leads.</figcaption>
    </figure>
  );
}
