import { describe, expect, it } from 'vitest';
import { layoutCalibration } from '../../console/src/charts/calibration';

describe('the calibration chart layout', () => {
  it('puts predicted and actual on one scale, higher rates higher up, deciles left to right', () => {
    const layout = layoutCalibration([
      { decile: 1, leads: 10, predicted: 0.6, actual: 0.7 },
      { decile: 2, leads: 10, predicted: 0.2, actual: 0.1 },
    ], 640, 240);
    const [d1, d2] = layout.points;
    expect(d1!.x).toBeLessThan(d2!.x);
    expect(d1!.actualY).toBeLessThan(d1!.predictedY);
    expect(d2!.actualY).toBeGreaterThan(d2!.predictedY);
    expect(layout.ticks.at(-1)!.value).toBeCloseTo(0.7);
    expect(layout.ticks.at(-1)!.y).toBe(layout.plot.top);
  });
});
