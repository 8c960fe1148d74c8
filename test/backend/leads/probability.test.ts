import { describe, expect, it } from 'vitest';
import { compileModel, conversionProbability, DEFAULT_MODEL } from '../../../shared/index';
import { summarize } from '../../../backend/src/leads/present';
import { blankLead } from '../../../backend/src/store/leads/lead-rows';
import { applyScore } from '../../../backend/src/store/leads/score-lead';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const attributes = { industry: { value: 'Software', setBy: 'rep', setAt: NOW }, budget: { value: true, setBy: 'rep', setAt: NOW } };

function scored(model = DEFAULT_MODEL) {
  const compiled = compileModel(model);
  const blank = blankLead(compiled, 'ld_p', 'ws_p', { email: 'ann@acme.example', name: 'Ann', linkedinUrl: null, attributes }, NOW);
  return { compiled, lead: applyScore(blank, compiled, blank.aggregate, NOW).lead };
}

describe('a lead summary under a calibrated model', () => {
  it("carries the chance to convert at the lead's score, as the calibration reads it", () => {
    const { compiled, lead } = scored({ ...DEFAULT_MODEL, calibration: { intercept: -2.5, slope: 0.04 } });
    const summary = summarize(lead, compiled, NOW, new Map());
    expect(summary.score).toBe(20);
    expect(summary.probability).toBeCloseTo(conversionProbability({ intercept: -2.5, slope: 0.04 }, 20), 12);
    expect(summary.probability).toBeCloseTo(1 / (1 + Math.exp(1.7)), 12);
  });

  it('carries none when the model has no calibration', () => {
    const { compiled, lead } = scored();
    expect(summarize(lead, compiled, NOW, new Map()).probability).toBeNull();
  });
});
