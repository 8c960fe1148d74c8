import { afterEach, describe, expect, it } from 'vitest';
import { compileModel, ConversionReport, DEFAULT_MODEL } from '../../../shared/index';
import { auc } from '../../../shared/evidence';
import { blankLead } from '../../../backend/src/store/leads/lead-rows';
import { leadToRow } from '../../../backend/src/store/sql/rows';
import { hasPostgres } from '../../support/env';
import { knownAnswerApiCalls, knownAnswerRows, knownLeads } from '../../support/known-answer';
import { apiError, jsonRequest, NOW, openFixture, type AppFixture, type StoreKind } from '../support/app';

const DAY = 86_400_000;
const compiled = compileModel(DEFAULT_MODEL);

let n = 0;
/** A stored lead row with exactly this score, tier, outcome, creation time and attributes. */
function row(f: AppFixture, fields: { score: number; tier: string; outcome: 'won' | 'lost' | null; createdAt?: number; attrs?: Record<string, string | number>; accountId?: string }) {
  const attributes = Object.fromEntries(Object.entries(fields.attrs ?? {}).map(([k, value]) => [k, { value, setBy: 'import', setAt: NOW }]));
  const lead = blankLead(compiled, `ld_r${++n}`, f.workspace.id, { email: null, name: null, linkedinUrl: null, attributes }, NOW);
  return leadToRow({ ...lead, score: fields.score, tier: fields.tier, grade: fields.score > 50 ? 'A' : 'C', outcome: fields.outcome, createdAt: fields.createdAt ?? NOW - DAY, accountId: fields.accountId ?? null });
}

/** A stored account row in this tier (its numbers do not matter to a report). */
function accountRow(f: AppFixture, id: string, tier: string) {
  return { id, workspace_id: f.workspace.id, key: `domain:${id}.test`, domain: `${id}.test`, name: id, attributes: '{}', score: 0, fit: 0, engagement: 0, tier, people: 0, people_engaged: 0, breakdown: '[]', scored_at: NOW, created_at: NOW };
}

const times = <T>(count: number, make: () => T) => Array.from({ length: count }, make);

async function report(f: AppFixture, query = '', token = f.repToken) {
  const response = await jsonRequest(f.app, 'GET', `/api/reports/conversion${query}`, token);
  expect(response.status).toBe(200);
  return ConversionReport.parse(await response.json());
}

const kinds: [StoreKind, boolean][] = [
  ['sqlite', true],
  ['postgres', await hasPostgres()],
];

describe.each(kinds)('GET /api/reports/conversion on %s', (kind, available) => {
  let f: AppFixture;
  afterEach(async () => f?.close());

  it.runIf(available)('gives conversion by tier with Wilson intervals and lift, AUC with ties, and open leads apart', async () => {
    f = await openFixture(kind);
    await f.insertRows('leads', [
      ...times(42, () => row(f, { score: 80, tier: 'Hot', outcome: 'won', attrs: { source: 'webinar', industry: 'Software' } })),
      ...times(58, () => row(f, { score: 80, tier: 'Hot', outcome: 'lost', attrs: { source: 'webinar' } })),
      ...times(5, () => row(f, { score: 80, tier: 'Hot', outcome: null, attrs: { source: 'webinar' } })),
      ...times(8, () => row(f, { score: 20, tier: 'Cold', outcome: 'won', attrs: { source: 'organic' } })),
      ...times(92, () => row(f, { score: 20, tier: 'Cold', outcome: 'lost' })),
    ]);
    const r = await report(f, '?attribute=industry');
    expect({ leads: r.leads, open: r.open }).toEqual({ leads: 205, open: 5 });
    // Base rate: 50 won of 200 closed = 25%; open leads are in no denominator.
    expect(r.overall).toMatchObject({ won: 50, lost: 150, n: 200, rate: 0.25 });
    const [hot, cold] = r.byTier;
    // Hot 42/100: Wilson center (0.42 + 1.96²/200) / (1 + 1.96²/100) = 0.42296,
    // half 1.96/1.038416 * sqrt(0.42*0.58/100 + 1.96²/40000) = 0.09498 -> 32.8% .. 51.8%. Lift 0.42/0.25 = 1.68.
    expect(hot).toMatchObject({ value: 'Hot', won: 42, lost: 58, n: 100, open: 5, rate: 0.42 });
    expect(hot!.low).toBeCloseTo(0.32798, 4);
    expect(hot!.high).toBeCloseTo(0.51794, 4);
    expect(hot!.lift).toBeCloseTo(1.68, 10);
    // Cold 8/100: lift 0.08/0.25 = 0.32.
    expect(cold).toMatchObject({ value: 'Cold', won: 8, lost: 92, n: 100, open: 0, rate: 0.08 });
    expect(cold!.lift).toBeCloseTo(0.32, 10);
    // AUC: won 42 at 80 and 8 at 20; lost 58 at 80 and 92 at 20.
    // (42·92 + ½·42·58 + ½·8·92) / (50·150) = (3864 + 1218 + 368) / 7500 = 0.726667
    expect(r.auc).toBeCloseTo(5450 / 7500, 10);
    // Two distinct scores of 205 leads: 105 at 80 (middle rank 52.5 -> decile 3), 100 at 20 (middle 155 -> decile 8).
    expect(r.byDecile.map((d) => [d.decile, d.won, d.lost, d.open, d.minScore])).toEqual([
      [3, 42, 58, 5, 80],
      [8, 8, 92, 0, 20],
    ]);
    expect(r.bySource.map((g) => [g.value, g.won, g.lost, g.open])).toEqual([
      ['webinar', 42, 58, 5],
      ['(none)', 0, 92, 0],
      ['organic', 8, 0, 0],
    ]);
    expect(r.byAttribute.industry!.map((g) => [g.value, g.n, g.open])).toEqual([
      ['(none)', 158, 5],
      ['Software', 42, 0],
    ]);
  });

  it.runIf(available)("breaks conversion down by the lead's account's current tier, leads in no account last", async () => {
    f = await openFixture(kind);
    await f.insertRows('accounts', [accountRow(f, 'ac_hot', 'Hot'), accountRow(f, 'ac_cold', 'Cold')]);
    // The leads' own tiers are all Cold: the breakdown reads the account's tier, not the lead's.
    await f.insertRows('leads', [
      ...times(3, () => row(f, { score: 20, tier: 'Cold', outcome: 'won' })),
      ...times(7, () => row(f, { score: 20, tier: 'Cold', outcome: 'lost' })),
      row(f, { score: 20, tier: 'Cold', outcome: null }),
      row(f, { score: 20, tier: 'Cold', outcome: 'won', accountId: 'ac_cold' }),
      ...times(9, () => row(f, { score: 20, tier: 'Cold', outcome: 'lost', accountId: 'ac_cold' })),
      ...times(6, () => row(f, { score: 20, tier: 'Cold', outcome: 'won', accountId: 'ac_hot' })),
      ...times(4, () => row(f, { score: 20, tier: 'Cold', outcome: 'lost', accountId: 'ac_hot' })),
      ...times(2, () => row(f, { score: 20, tier: 'Cold', outcome: null, accountId: 'ac_hot' })),
    ]);
    const r = await report(f);
    // Base rate 10 won of 30 closed = 1/3. Hot accounts 6/10 = 0.6, lift 1.8; Cold 1/10, lift 0.3; no account 3/10, lift 0.9.
    expect(r.overall).toMatchObject({ won: 10, lost: 20, n: 30 });
    expect(r.byAccountTier.map((g) => [g.value, g.won, g.lost, g.open, g.rate])).toEqual([
      ['Hot', 6, 4, 2, 0.6],
      ['Cold', 1, 9, 0, 0.1],
      ['(no account)', 3, 7, 1, 0.3],
    ]);
    const [hot, cold, none] = r.byAccountTier;
    expect(hot!.lift).toBeCloseTo(1.8, 10);
    expect(cold!.lift).toBeCloseTo(0.3, 10);
    expect(none!.lift).toBeCloseTo(0.9, 10);
    // Wilson 95%, 6 of 10: center (0.6 + z²/20) / (1 + z²/10) = 0.57225, half 0.25958.
    expect(hot!.low).toBeCloseTo(0.31267, 4);
    expect(hot!.high).toBeCloseTo(0.83182, 4);
    expect(cold!.low).toBeCloseTo(0.01788, 4);
    expect(cold!.high).toBeCloseTo(0.40415, 4);
    expect(r.byTier.map((g) => [g.value, g.n])).toEqual([['Cold', 30]]);
  });

  it.runIf(available)('counts only leads created in the period; a bare `to` day includes that whole day', async () => {
    f = await openFixture(kind);
    const at = (iso: string) => Date.parse(iso);
    await f.insertRows('leads', [
      row(f, { score: 80, tier: 'Hot', outcome: 'won', createdAt: at('2025-02-28T23:59:59Z') }),
      row(f, { score: 80, tier: 'Hot', outcome: 'won', createdAt: at('2025-03-01T00:00:00Z') }),
      row(f, { score: 80, tier: 'Hot', outcome: 'lost', createdAt: at('2025-03-31T23:59:00Z') }),
      row(f, { score: 80, tier: 'Hot', outcome: 'lost', createdAt: at('2025-04-01T00:00:00Z') }),
    ]);
    const march = await report(f, '?from=2025-03-01&to=2025-03-31');
    expect(march.period).toEqual({ from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' });
    expect(march.overall).toMatchObject({ won: 1, lost: 1 });
    expect((await report(f, '?to=2025-03-01T00:00:00Z')).overall).toMatchObject({ won: 1, lost: 0 });
    expect((await report(f)).leads).toBe(4);
    // The other workspace's report sees none of them.
    expect((await report(f, '', f.other.repToken)).leads).toBe(0);
  });

  it.runIf(available)('on known-answer data, higher tiers convert more and the AUC lies near the true model\'s', async () => {
    f = await openFixture(kind);
    const options = { seed: 11, leads: 4_000, now: NOW };
    for (const block of knownAnswerRows(options, { workspaceId: f.workspace.id, siteId: f.site.id }, compiled)) await f.insertRows('leads', block.leads);
    const closed = [...knownLeads(options)].filter((l) => l.outcome !== null);
    const trueAuc = auc(closed.map((l) => l.probability), closed.map((l) => l.outcome === 'won'))!;
    const r = await report(f, '', f.adminToken);
    const rate = (tier: string) => r.byTier.find((g) => g.value === tier)!;
    expect(r.leads).toBe(4_000);
    expect(r.overall.n).toBe(closed.length);
    expect(rate('Hot').rate!).toBeGreaterThan(rate('Warm').rate!);
    expect(rate('Warm').rate!).toBeGreaterThan(rate('Cold').rate!);
    expect(rate('Hot').lift!).toBeGreaterThan(1);
    expect(rate('Cold').lift!).toBeLessThan(1);
    // The top decile converts more than the bottom one.
    expect(r.byDecile[0]!.rate!).toBeGreaterThan(r.byDecile[r.byDecile.length - 1]!.rate!);
    expect(r.auc!).toBeGreaterThan(0.6);
    expect(Math.abs(r.auc! - trueAuc)).toBeLessThan(0.05);
  });

  it.runIf(available)('answers bad parameters with 400 and a machine-readable code', async () => {
    f = await openFixture(kind);
    const get = (query: string) => jsonRequest(f.app, 'GET', `/api/reports/conversion${query}`, f.repToken);
    await apiError(await get('?from=yesterday'), 400, 'invalid_query');
    await apiError(await get('?to=2025-02-30'), 400, 'invalid_query');
    await apiError(await get('?from=2025-03-01&from=2025-04-01'), 400, 'invalid_query');
    await apiError(await get('?form=2025-03-01'), 400, 'invalid_query');
    await apiError(await get('?attribute=bad%20key'), 400, 'invalid_query');
    // Hostile text: a NUL, an unpaired surrogate, a very long value.
    await apiError(await get('?attribute=a%00b'), 400, 'invalid_query');
    await apiError(await get('?from=%ED%A0%80'), 400, 'invalid_query');
    await apiError(await get(`?attribute=${'a'.repeat(5_000)}`), 400, 'invalid_query');
    await apiError(await get(`?attribute=${Array.from({ length: 11 }, (_, i) => `a${i}`).join(',')}`), 400, 'invalid_query');
    await apiError(await get('?from=2025-04-01&to=2025-03-01'), 400, 'invalid_period');
    await apiError(await get('?from=2025-03-01T00:00:00Z&to=2025-03-01T00:00:00Z'), 400, 'invalid_period');
    await apiError(await Promise.resolve(f.app.request('/api/reports/conversion')), 401, 'unauthorized');
  });
});

describe('known-answer data through the API', () => {
  let f: AppFixture;
  afterEach(async () => f?.close());

  it('gives the same conversion by tier as the same leads inserted as rows', async () => {
    f = await openFixture('sqlite');
    const options = { seed: 5, leads: 60, now: NOW };
    for (const known of knownLeads(options)) {
      const calls = knownAnswerApiCalls(known);
      const created = await jsonRequest(f.app, 'POST', '/api/leads', f.repToken, calls.lead);
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const sent = await f.app.request('/v1/batch', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`${f.site.key}:`).toString('base64')}` },
        body: JSON.stringify({ batch: calls.events }),
      });
      expect(sent.status, await sent.clone().text()).toBe(200);
      if (calls.outcome) expect((await jsonRequest(f.app, 'PATCH', `/api/leads/${id}`, f.repToken, calls.outcome)).status).toBe(200);
    }
    const viaApi = await report(f);
    const rows = [...knownAnswerRows(options, { workspaceId: f.workspace.id, siteId: f.site.id }, compiled)].flatMap((b) => b.leads);
    const expected = new Map<string, { won: number; lost: number; open: number }>();
    for (const r of rows) {
      const c = expected.get(r.tier) ?? { won: 0, lost: 0, open: 0 };
      c[r.outcome === 'won' ? 'won' : r.outcome === 'lost' ? 'lost' : 'open']++;
      expected.set(r.tier, c);
    }
    expect(new Map(viaApi.byTier.map((g) => [g.value, { won: g.won, lost: g.lost, open: g.open }]))).toEqual(expected);
    expect(viaApi.leads).toBe(60);
  });
});
