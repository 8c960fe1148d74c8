import { layoutCalibration, type CalibrationPoint } from './calibration';
import { percent } from './interval-chart';

const WIDTH = 640;
const HEIGHT = 240;

/** Predicted (hollow) against actual (filled) conversion per decile of the learned model, in plain SVG. */
export function CalibrationChart({ points }: { points: readonly CalibrationPoint[] }) {
  const layout = layoutCalibration(points, WIDTH, HEIGHT);
  const summary = `Calibration by decile: ${points.map((p) => `D${p.decile} predicted ${percent(p.predicted)}, actual ${percent(p.actual)} (n=${p.leads})`).join('; ')}.`;
  const bottom = layout.plot.top + layout.plot.height;
  return (
    <figure class="chart-figure">
      <svg class="chart calibration" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        {layout.ticks.map((tick) => (
          <g key={tick.value}>
            <line x1={layout.plot.left} x2={layout.plot.left + layout.plot.width} y1={tick.y} y2={tick.y} class="grid" />
            <text x={layout.plot.left - 6} y={tick.y + 4} text-anchor="end" class="axis">{percent(tick.value)}</text>
          </g>
        ))}
        {layout.points.map((p) => (
          <g key={p.decile}>
            <line x1={p.x} x2={p.x} y1={p.predictedY} y2={p.actualY} class="gap" />
            <circle cx={p.x} cy={p.predictedY} r={5} class="predicted" />
            <circle cx={p.x} cy={p.actualY} r={5} class="actual" />
            <text x={p.x} y={bottom + 18} text-anchor="middle" class="label">D{p.decile}</text>
          </g>
        ))}
        <line x1={layout.plot.left} x2={layout.plot.left + layout.plot.width} y1={bottom} y2={bottom} class="axis-line" />
      </svg>
      <figcaption class="hint">Hollow: predicted conversion; filled: actual conversion of the held-out leads in each decile (D1: highest predictions).</figcaption>
    </figure>
  );
}
