import { afterEach, describe, expect, it } from 'vitest';
import { aucWithInterval } from '../../../shared/evidence';
import { compileModel, DEFAULT_MODEL, LearnRequest, LearnResponse } from '../../../shared/index';
import { holdoutRule, learnModel } from '../../../backend/src/learn/learn';
import { knownAnswerRows, knownLeads } from '../../support/known-answer';
import { fixture, NOW, type Fixture } from '../support/app';

const options = { seed: 7, leads: 20_000, now: NOW };

async function withKnownData(f: Fixture, extra: (lead: { id: string; outcome: string | null }) => Record<string, unknown> = () => ({})) {
  for (const block of knownAnswerRows(options, { workspaceId: f.workspace.id, siteId: f.site.id }, compileModel(DEFAULT_MODEL), 2_000)) {
    const leads = block.leads.map((row) => {
      const added = extra(row);
      if (Object.keys(added).length === 0) return row;
      const attributes = JSON.parse(row.attributes) as Record<string, unknown>;
      for (const [key, value] of Object.entries(added)) attributes[key] = { value, setBy: 'import', setAt: row.created_at };
      return { ...row, attributes: JSON.stringify(attributes) };
    });
    await f.insertRows('leads', leads);
    await f.insertRows('events', block.events);
    const history = leads.flatMap((row) => Object.entries(JSON.parse(row.attributes) as Record<string, { value: unknown; setBy: string; setAt: number }>).map(([key, a]) => ({ lead_id: row.id, key, value: JSON.stringify(a.value), set_by: a.setBy, at: a.setAt })));
    await f.insertRows('attribute_history', history);
  }
}

describe('learning a points model from outcomes', () => {
  let f: Fixture;
  afterEach(async () => f?.close());

  it('on data from a known true model: held-out AUC within 0.01 of the truth, calibrated within 5 points per decile, rounding costs under 0.005', async () => {
    f = await fixture();
    await withKnownData(f);
    const { model, report } = LearnResponse.parse(await learnModel(f.store, f.workspace.id, {}, NOW));
    const isHoldout = holdoutRule(LearnRequest.parse({}));
    const held = [...knownLeads(options)].filter((l) => l.outcome !== null && isHoldout({ id: l.id, outcomeAt: NOW } as never));
    expect(held.length).toBe(report.leads.holdout);
    const truth = aucWithInterval(held.map((l) => l.probability), held.map((l) => l.outcome === 'won'))!;
    console.log(JSON.stringify({ truth: truth.auc, ...report.holdout, calibration: undefined, byTier: undefined, lambda: report.lambda, iterations: report.iterations }));
    expect(Math.abs(report.holdout.points!.auc - truth.auc)).toBeLessThan(0.01);
    expect(report.holdout.roundingCost!).toBeLessThan(0.005);
    for (const d of report.holdout.calibration) expect(Math.abs(d.predicted - d.actual), `decile ${d.decile}`).toBeLessThan(0.05);
    expect(report.holdout.points!.auc).toBeGreaterThan(report.holdout.current!.auc);
    expect(model.fit.rules.every((r) => Number.isInteger(r.points))).toBe(true);
    expect(model.engagement.rules.every((r) => Number.isInteger(r.points))).toBe(true);
    expect(report.leakage).toEqual([]);
  });
});
