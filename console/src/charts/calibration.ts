/** One decile of a calibration check: the leads, the mean predicted probability, the share that converted. */
export interface CalibrationPoint {
  decile: number;
  leads: number;
  predicted: number;
  actual: number;
}

export interface CalibrationLayout {
  plot: { left: number; top: number; width: number; height: number };
  /** Per decile: x, and the y of the predicted and actual rates. */
  points: { decile: number; x: number; predictedY: number; actualY: number }[];
  ticks: { value: number; y: number }[];
}

/**
 * Where each decile goes: predicted and actual on one 0..top scale (top: the largest of either,
 * rounded up to a tenth), so a calibrated model's two marks sit together.
 */
export function layoutCalibration(points: readonly CalibrationPoint[], width: number, height: number): CalibrationLayout {
  const plot = { left: 48, top: 12, width: width - 60, height: height - 48 };
  const top = Math.max(0.1, Math.ceil(Math.max(0, ...points.flatMap((p) => [p.predicted, p.actual])) * 10) / 10);
  const y = (rate: number) => plot.top + plot.height * (1 - Math.min(rate, top) / top);
  const step = plot.width / Math.max(points.length, 1);
  return {
    plot,
    points: points.map((p, i) => ({ decile: p.decile, x: plot.left + step * (i + 0.5), predictedY: y(p.predicted), actualY: y(p.actual) })),
    ticks: [0, 0.25, 0.5, 0.75, 1].map((f) => ({ value: top * f, y: y(top * f) })),
  };
}
