import { afterEach, describe, expect, it } from 'vitest';
import { BacktestReport, compileModel, ConversionReport, DEFAULT_MODEL, EventName, type ScoringModel, type TrackedEvent } from '../../../shared/index';
import { prepareEvents } from '../../../backend/src/domain/events';
import { hasPostgres } from '../../support/env';
import { knownAnswerRows } from '../../support/known-answer';
import { apiError, jsonRequest, NOW, openFixture, type AppFixture, type StoreKind } from '../support/app';

const DAY = 86_400_000;
const T0 = Date.parse('2025-03-01T09:00:00Z');
const OUTCOME = T0 + 10 * DAY;
const LATER = OUTCOME + 5 * DAY;
const rep = { name: 'token tok_test (rep)' };

let counter = 0;
const call = (email: string, at: number, fields: Partial<TrackedEvent>): TrackedEvent =>
  ({ type: 'track', messageId: `bt-${++counter}`, timestamp: new Date(at).toISOString(), userId: email, ...fields }) as TrackedEvent;

/** Ingests one call as the backend would have received it at `at` (its own clock). */
async function send(f: AppFixture, at: number, e: TrackedEvent) {
  await f.store.ingest(f.site, prepareEvents([e], at), at);
}

async function leadId(f: AppFixture, email: string): Promise<string> {
  return (await f.store.findLeadsByEmails(f.workspace.id, [email])).get(email)!.id;
}

async function backtest(f: AppFixture, body: unknown): Promise<BacktestReport> {
  const res = await jsonRequest(f.app, 'POST', '/api/reports/backtest', f.adminToken, body);
  expect(res.status).toBe(200);
  return BacktestReport.parse(await res.json());
}

/** Ann (won): a software company and a demo request before her outcome. Bo (lost): nothing. */
async function twoClosedLeads(f: AppFixture) {
  await send(f, T0, call('ann@acme.test', T0, { type: 'identify', traits: { industry: 'Software' } }));
  await send(f, T0 + DAY, call('ann@acme.test', T0 + DAY, { event: EventName.demoRequested }));
  await send(f, T0, call('bo@beta.test', T0, { type: 'identify', traits: { industry: 'Retail' } }));
  await f.store.patchLead(f.workspace.id, await leadId(f, 'ann@acme.test'), { outcome: 'won' }, rep, OUTCOME);
  await f.store.patchLead(f.workspace.id, await leadId(f, 'bo@beta.test'), { outcome: 'lost' }, rep, OUTCOME);
}

/** The scores the backtest gave, read off its deciles (each lead is a decile of its own here). */
const scoresOf = (r: BacktestReport) => r.models[0]!.byDecile.map((d) => d.maxScore);

const kinds: [StoreKind, boolean][] = [
  ['sqlite', true],
  ['postgres', await hasPostgres()],
];

describe.each(kinds)('backtests on %s', (kind, available) => {
  let f: AppFixture;
  afterEach(async () => f?.close());

  it.runIf(available)('scores each lead as of its outcome: later events and attribute changes do not move it, earlier ones do', async () => {
    f = await openFixture(kind);
    await twoClosedLeads(f);
    const before = await backtest(f, { model: 'current' });
    expect(before).toMatchObject({ leads: 2, undated: 0, overall: { won: 1, lost: 1 } });
    // Ann: target industry (+10) and a demo request (+30, decayed over 9 days); Bo: nothing.
    expect(before.models[0]!.auc).toBe(1);
    const [annBefore, boBefore] = scoresOf(before);
    expect(annBefore).toBeGreaterThan(boBefore!);

    // After the outcome: a webinar, and a rep retags both leads. None of it was known at the outcome.
    const ann = await leadId(f, 'ann@acme.test');
    await send(f, LATER, call('ann@acme.test', LATER, { event: EventName.webinarAttended }));
    await f.store.patchLead(f.workspace.id, ann, { attributes: { industry: 'Retail', rating: 9, budget: true } }, rep, LATER);
    await f.store.patchLead(f.workspace.id, await leadId(f, 'bo@beta.test'), { attributes: { industry: 'Software', decisionMaker: true } }, rep, LATER);
    const after = await backtest(f, { model: 'current' });
    expect(after.models).toEqual(before.models);
    expect(after.rating.leads).toBe(0);

    // An event dated before the outcome but received later is history, and counts.
    await send(f, LATER, call('bo@beta.test', OUTCOME - DAY, { event: EventName.webinarAttended }));
    const [, boWithWebinar] = scoresOf(await backtest(f, { model: 'current' })).sort((a, b) => b - a);
    expect(boWithWebinar).toBeGreaterThan(boBefore!);
  });

  it.runIf(available)('compares two models on the same leads: AUC of each, the difference, the tier moves, the rating as a model', async () => {
    f = await openFixture(kind);
    await twoClosedLeads(f);
    await f.store.patchLead(f.workspace.id, await leadId(f, 'ann@acme.test'), { attributes: { rating: 8 } }, rep, T0 + 2 * DAY);
    await f.store.patchLead(f.workspace.id, await leadId(f, 'bo@beta.test'), { attributes: { rating: 3 } }, rep, T0 + 2 * DAY);
    // A model that rates Retail above everything Ann did: it ranks the two backwards.
    const backwards: ScoringModel = {
      ...DEFAULT_MODEL,
      name: 'Retail first',
      fit: { ...DEFAULT_MODEL.fit, rules: [{ id: 'retail', label: 'Retail', when: [{ attr: 'industry', op: 'eq', value: 'Retail' }], points: 60 }] },
    };
    const r = await backtest(f, { model: 'current', vs: backwards });
    expect(r.models.map((m) => [m.label, m.auc])).toEqual([
      ['current', 1],
      ['Retail first', 0],
    ]);
    expect(r.comparison!.difference).toBe(-1);
    expect(r.comparison!.tierChanges).toBeGreaterThan(0);
    expect(r.comparison!.moves.reduce((n, m) => n + m.leads, 0)).toBe(r.comparison!.tierChanges);
    expect(r.rating).toEqual({ leads: 2, auc: 1 });
  });

  it.runIf(available)('backtests a stored model version, and refuses bad requests with a reason and for rep tokens', async () => {
    f = await openFixture(kind);
    await twoClosedLeads(f);
    const version = (await f.store.currentModel(f.workspace.id)).model.version;
    expect((await backtest(f, { model: { version } })).models[0]).toMatchObject({ label: `version ${version}`, version, auc: 1 });

    await apiError(await jsonRequest(f.app, 'POST', '/api/reports/backtest', f.adminToken, { model: { version: 999 } }), 404, 'model_version_not_found');
    await apiError(await jsonRequest(f.app, 'POST', '/api/reports/backtest', f.adminToken, { model: 'best' }), 400, 'invalid_backtest');
    await apiError(await jsonRequest(f.app, 'POST', '/api/reports/backtest', f.adminToken, { model: 'current', from: '2025-05-01', to: '2025-04-01' }), 400, 'invalid_period');
    await apiError(await jsonRequest(f.app, 'POST', '/api/reports/backtest', f.repToken, { model: 'current' }), 403, 'forbidden');
  });

  it.runIf(available)('on known-answer data closed today, agrees with the conversion report of the stored scores', async () => {
    f = await openFixture(kind);
    const options = { seed: 11, leads: 1_500, now: NOW };
    for (const block of knownAnswerRows(options, { workspaceId: f.workspace.id, siteId: f.site.id }, compileModel(DEFAULT_MODEL), 500)) {
      await f.insertRows('leads', block.leads);
      await f.insertRows('events', block.events);
      await f.insertRows('attribute_history', block.history);
    }
    const r = await backtest(f, { model: 'current' });
    const report = ConversionReport.parse(await (await jsonRequest(f.app, 'GET', '/api/reports/conversion', f.adminToken)).json());
    // Every outcome is dated at the scoring time of the stored scores, so both read the same scores.
    expect(r.leads).toBe(report.overall.n);
    expect(r.models[0]!.auc).toBeCloseTo(report.auc!, 12);
    expect(r.models[0]!.byTier).toEqual(report.byTier.map((g) => ({ ...g, open: 0, lift: g.lift })));
  });
});
