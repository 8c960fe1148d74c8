import { afterEach, describe, expect, it } from 'vitest';
import { aucWithInterval } from '../../../shared/evidence';
import { compileModel, DEFAULT_MODEL, LearnRequest, LearnResponse } from '../../../shared/index';
import { holdoutRule, learnModel } from '../../../backend/src/learn/learn';
import { knownAnswerRows, knownLeads } from '../../support/known-answer';
import { apiError, fixture, jsonRequest, NOW, type Fixture } from '../support/app';
import { runTs } from '../support/spawn';

const options = { seed: 7, leads: 20_000, now: NOW };

async function withKnownData(f: Fixture, extra: (lead: { id: string; outcome: string | null }) => Record<string, unknown> = () => ({}), leads = options.leads) {
  for (const block of knownAnswerRows({ ...options, leads }, { workspaceId: f.workspace.id, siteId: f.site.id }, compileModel(DEFAULT_MODEL), 2_000)) {
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
    expect(Math.abs(report.holdout.points!.auc - truth.auc)).toBeLessThan(0.01);
    expect(report.holdout.roundingCost!).toBeLessThan(0.005);
    for (const d of report.holdout.calibration) expect(Math.abs(d.predicted - d.actual), `decile ${d.decile}`).toBeLessThan(0.05);
    expect(report.holdout.points!.auc).toBeGreaterThan(report.holdout.current!.auc);
    expect(model.fit.rules.every((r) => Number.isInteger(r.points))).toBe(true);
    expect(model.engagement.rules.every((r) => Number.isInteger(r.points))).toBe(true);
    expect(report.leakage).toEqual([]);
  });

  it('is deterministic: the same data and seed give the same model, byte for byte; another seed another split', async () => {
    f = await fixture();
    await withKnownData(f, undefined, 4_000);
    const first = JSON.stringify(await learnModel(f.store, f.workspace.id, { seed: 3 }, NOW));
    const again = JSON.stringify(await learnModel(f.store, f.workspace.id, { seed: 3 }, NOW));
    expect(again).toBe(first);
    const other = await learnModel(f.store, f.workspace.id, { seed: 4 }, NOW);
    expect(JSON.stringify(other)).not.toBe(first);
  });

  it('flags a column filled in after the sale as likely leakage, and --exclude drops it', async () => {
    f = await fixture();
    // "contractSigned" is known for won leads only, as a CRM field filled in at closing.
    await withKnownData(f, (lead) => (lead.outcome === 'won' ? { contractSigned: 'yes' } : {}), 4_000);
    const leaky = await learnModel(f.store, f.workspace.id, {}, NOW);
    expect(leaky.report.leakage.map((l) => l.feature)).toEqual(['contractSigned']);
    expect(leaky.report.leakage[0]!.auc).toBeGreaterThan(0.95);
    const clean = await learnModel(f.store, f.workspace.id, { exclude: ['contractSigned'] }, NOW);
    expect(clean.report.leakage).toEqual([]);
    expect(clean.report.features.map((g) => g.name)).not.toContain('contractSigned');
    expect(JSON.stringify(clean.model)).not.toContain('contractSigned');
  });

  it('refuses with the counts it has and needs when there are too few outcomes, and names a bad request', async () => {
    f = await fixture();
    for (const block of knownAnswerRows({ seed: 1, leads: 150, now: NOW }, { workspaceId: f.workspace.id, siteId: f.site.id }, compileModel(DEFAULT_MODEL))) {
      await f.insertRows('leads', block.leads);
      await f.insertRows('attribute_history', block.history);
    }
    await expect(learnModel(f.store, f.workspace.id, {}, NOW)).rejects.toThrow(/at least 200 leads with a dated outcome, 40 won and 40 lost; this workspace has \d+ \(\d+ won, \d+ lost\)/);
    await expect(learnModel(f.store, f.workspace.id, { holdout: 2 }, NOW)).rejects.toMatchObject({ code: 'invalid_learn_request' });
  });

  it('POST /api/models/learn answers admins with the model and its report, which PUT /api/model adopts; the CLI writes it with --out', async () => {
    f = await fixture();
    await withKnownData(f, undefined, 3_000);
    const res = await jsonRequest(f.app, 'POST', '/api/models/learn', f.adminToken, { holdout: 0.25, seed: 2 });
    expect(res.status).toBe(200);
    const learned = LearnResponse.parse(await res.json());
    expect(learned.model.calibration).toBeDefined();
    const adopt = await jsonRequest(f.app, 'PUT', '/api/model', f.adminToken, learned.model);
    expect(adopt.status).toBe(202);
    await apiError(await jsonRequest(f.app, 'POST', '/api/models/learn', f.repToken, {}), 403, 'forbidden');
    await apiError(await jsonRequest(f.app, 'POST', '/api/models/learn', f.adminToken, { holdout: 'most' }), 400, 'invalid_learn_request');

    const out = `${f.file}.model.json`;
    const cli = await runTs('backend/src/cli.ts', ['learn', '--workspace', f.workspace.id, '--seed', '2', '--holdout', '0.25', '--out', out, '--db', f.file]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/learned points model +0\.\d{3} \(95% 0\.\d{3}-0\.\d{3}\)/);
    expect(cli.stdout).toContain(`Model written to ${out}`);
  });
});
