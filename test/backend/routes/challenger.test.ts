import { afterEach, describe, expect, it } from 'vitest';
import {
  ChallengerReport,
  ChallengerResponse,
  compileModel,
  DEFAULT_MODEL,
  EventName,
  Job,
  LeadSummary,
  ModelPutResponse,
  scoreLead,
  ScoringModel,
  type TrackedEvent,
} from '../../../shared/index';
import { JobRunner } from '../../../backend/src/jobs/job-runner';
import { prepareEvents, toScorable } from '../../../backend/src/domain/events';
import { leadInput } from '../../../backend/src/domain/lead-record';
import { hasPostgres } from '../../support/env';
import { apiError, bearer, collect, event, jsonRequest, NOW, openFixture, type AppFixture, type StoreKind } from '../support/app';

const DAY = 86_400_000;

/** Page views count five times as much, up to 50: a different ranking from the champion's. */
function pagesMatter(): ScoringModel {
  const model = structuredClone(DEFAULT_MODEL);
  model.name = 'Pages matter';
  model.engagement.rules = model.engagement.rules.map((r) => (r.id === 'page-viewed' ? { ...r, points: 5, maxPoints: 50 } : r));
  return model;
}

/** Counts demo bookings, which the champion ignores. */
function demosMatter(): ScoringModel {
  const model = structuredClone(DEFAULT_MODEL);
  model.name = 'Demos matter';
  model.engagement.rules.push({ id: 'demo-booked', label: 'Booked a demo', event: 'Demo Booked', points: 50, maxCount: 1 });
  return model;
}

const kinds: [StoreKind, boolean][] = [
  ['sqlite', true],
  ['postgres', await hasPostgres()],
];

async function lookupBody(f: AppFixture, email: string): Promise<{ text: string; summary: LeadSummary }> {
  const response = await jsonRequest(f.app, 'GET', `/api/leads?email=${email}`, f.repToken);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, summary: LeadSummary.parse((JSON.parse(text) as { leads: Record<string, unknown> }).leads[email]) };
}

/** The lead's shadow columns, read straight from the table. */
async function shadowOf(f: AppFixture, leadId: string): Promise<{ score: number | null; tier: string | null; aggregate: string | null }> {
  const rows = (await f.dump()).leads as { id: string; shadow_score: number | null; shadow_tier: string | null; shadow_aggregate: string | null }[];
  const row = rows.find((r) => r.id === leadId)!;
  return { score: row.shadow_score === null ? null : Number(row.shadow_score), tier: row.shadow_tier, aggregate: row.shadow_aggregate };
}

async function leadIdOf(f: AppFixture, email: string): Promise<string> {
  return (await f.store.findLeadsByEmails(f.workspace.id, [email])).get(email)!.id;
}

/** What the challenger says of the lead given all these events, by the engine alone. */
async function expectedShadow(f: AppFixture, email: string, model: ScoringModel, batch: TrackedEvent[]): Promise<number> {
  const lead = (await f.store.getLead(f.workspace.id, await leadIdOf(f, email)))!;
  return scoreLead(compileModel(model), leadInput(lead), prepareEvents(batch, NOW).map(toScorable), NOW).score;
}

/** POST /collect as the tracker does, expecting it committed. */
async function send(f: AppFixture, body: { batch: TrackedEvent[] }): Promise<void> {
  expect((await collect(f.app, { siteKey: f.site.key, ...body })).status).toBe(202);
}

const drain = (f: AppFixture, now = NOW) => new JobRunner(f.store, { now: () => now }).drain();

async function setChallenger(f: AppFixture, model: ScoringModel): Promise<ChallengerResponse> {
  const response = await jsonRequest(f.app, 'PUT', '/api/model/challenger', f.adminToken, model);
  expect(response.status).toBe(202);
  return ChallengerResponse.parse(await response.json());
}

describe.each(kinds)('champion / challenger on %s', (kind, available) => {
  let f: AppFixture;
  afterEach(async () => f?.close());

  const annVisits = () => [event({ anonymousId: 'v-ann', type: 'identify', traits: { email: 'ann@acme.test' }, ago: DAY }), ...[1, 2, 3].map(() => event({ anonymousId: 'v-ann', ago: DAY / 2 }))];

  it.runIf(available)('setting a challenger gives every existing lead a shadow score through a job; the lookup never carries it', async () => {
    f = await openFixture(kind);
    const ann = annVisits();
    const bo = [event({ anonymousId: 'v-bo', type: 'identify', traits: { email: 'bo@beta.test' }, ago: DAY })];
    await send(f, { batch: [...ann, ...bo] });
    const before = (await lookupBody(f, 'ann@acme.test')).summary;

    const set = await setChallenger(f, pagesMatter());
    expect(set).toMatchObject({ model: { name: 'Pages matter' }, startedAt: new Date(NOW).toISOString(), job: { kind: 'shadow', state: 'queued', progress: { done: 0, total: 2 } } });
    expect((await shadowOf(f, await leadIdOf(f, 'ann@acme.test'))).score).toBeNull();

    await drain(f);
    const shown = ChallengerResponse.parse(await (await jsonRequest(f.app, 'GET', '/api/model/challenger', f.adminToken)).json());
    expect(shown.job).toMatchObject({ id: set.job!.id, kind: 'shadow', state: 'done', progress: { done: 2, total: 2 } });
    const annShadow = await shadowOf(f, await leadIdOf(f, 'ann@acme.test'));
    const expected = await expectedShadow(f, 'ann@acme.test', pagesMatter(), ann);
    expect(annShadow.score).toBeCloseTo(expected, 9);
    // Three page views half a day ago: 15 points under the challenger, 3 under the champion, both decayed (30-day half-life).
    expect(annShadow.score! - before.score).toBeCloseTo(12 * 0.5 ** (0.5 / 30), 1);

    // The extension's lookup: the champion's score, and nothing of the challenger anywhere in the body.
    const after = await lookupBody(f, 'ann@acme.test');
    expect(after.summary.score).toBeCloseTo(before.score, 9);
    expect(after.text).not.toMatch(/shadow|challenger/i);
    expect(after.text).not.toContain(String(annShadow.score));
    const detail = await (await jsonRequest(f.app, 'GET', `/api/leads/${after.summary.id}`, f.adminToken)).text();
    expect(detail).not.toMatch(/shadow|challenger/i);
  });

  it.runIf(available)('ingest, a rep edit, a new lead and a merge keep the shadow score current', async () => {
    f = await openFixture(kind);
    const first = annVisits();
    await send(f, { batch: first });
    await setChallenger(f, pagesMatter());
    await drain(f);
    const annId = await leadIdOf(f, 'ann@acme.test');
    const start = (await shadowOf(f, annId)).score!;

    // Ingest: two more page views fold into the shadow aggregate at once, no job needed.
    const more = [1, 2].map(() => event({ anonymousId: 'v-ann', ago: 1_000 }));
    await send(f, { batch: more });
    const afterIngest = (await shadowOf(f, annId)).score!;
    expect(afterIngest).toBeCloseTo(await expectedShadow(f, 'ann@acme.test', pagesMatter(), [...first, ...more]), 9);
    expect(afterIngest - start).toBeCloseTo(10, 3);

    // A rep's edit: the challenger's fit rules see the new attribute.
    const patched = await jsonRequest(f.app, 'PATCH', `/api/leads/${annId}`, f.repToken, { attributes: { industry: 'Software' } });
    expect(patched.status).toBe(200);
    const afterEdit = await shadowOf(f, annId);
    expect(afterEdit.score! - afterIngest).toBeCloseTo(10, 6);
    expect(afterEdit.score).toBeCloseTo(await expectedShadow(f, 'ann@acme.test', pagesMatter(), [...first, ...more]), 9);

    // A lead a rep creates has a shadow score from its first moment.
    const created = await jsonRequest(f.app, 'POST', '/api/leads', f.repToken, { email: 'cy@gamma.test', attributes: { industry: 'SaaS' } });
    expect(created.status).toBe(201);
    const cy = await shadowOf(f, await leadIdOf(f, 'cy@gamma.test'));
    expect(cy.score).toBe(10);
    expect(cy.tier).toBe('Cold');

    // A visitor who identifies now becomes a lead with a shadow score in the same ingest.
    const dee = [event({ anonymousId: 'v-dee', type: 'identify', traits: { email: 'dee@delta.test' }, ago: 3_000 }), event({ anonymousId: 'v-dee', ago: 2_500 })];
    await send(f, { batch: dee });
    expect((await shadowOf(f, await leadIdOf(f, 'dee@delta.test'))).score).toBeCloseTo(await expectedShadow(f, 'dee@delta.test', pagesMatter(), dee), 9);

    // A CSV import writes leads in bulk: new and changed leads get their shadow score in the same transaction.
    const imported = await f.app.request('/api/import?emailColumn=email', {
      method: 'POST',
      headers: bearer(f.adminToken, { 'Content-Type': 'text/csv' }),
      body: 'email,industry\neve@epsilon.test,Software\nann@acme.test,Retail\n',
    });
    expect(imported.status).toBe(200);
    expect(await shadowOf(f, await leadIdOf(f, 'eve@epsilon.test'))).toMatchObject({ score: 10, tier: 'Cold' });
    expect((await shadowOf(f, annId)).score).toBeCloseTo(afterEdit.score! - 10, 6);
    await jsonRequest(f.app, 'PATCH', `/api/leads/${annId}`, f.repToken, { attributes: { industry: 'Software' } });

    // A merge: the survivor's shadow score counts the other lead's events too.
    await send(f, { batch: [event({ anonymousId: 'v-cy', type: 'identify', traits: { email: 'cy@gamma.test' }, ago: 2_000 }), event({ anonymousId: 'v-cy', ago: 1_500 })] });
    const merged = await jsonRequest(f.app, 'POST', `/api/leads/${annId}/merge`, f.repToken, { other: await leadIdOf(f, 'cy@gamma.test') });
    expect(merged.status).toBe(200);
    expect((await shadowOf(f, annId)).score! - afterEdit.score!).toBeCloseTo(5, 3);
  });

  it.runIf(available)('the report compares the two models only on outcomes dated since the challenger started', async () => {
    f = await openFixture(kind);
    const T0 = NOW - 30 * DAY;
    const START = NOW - 10 * DAY;
    const rep = { name: 'token tok_test (rep)' };
    let n = 0;
    const track = (email: string, at: number, fields: Partial<TrackedEvent>) =>
      f.store.ingest(f.site, prepareEvents([{ type: 'track', messageId: `cc-${++n}`, timestamp: new Date(at).toISOString(), userId: email, ...fields } as TrackedEvent], at), at);
    const close = async (email: string, outcome: 'won' | 'lost', at: number) => f.store.patchLead(f.workspace.id, await leadIdOf(f, email), { outcome }, rep, at);

    // Before the start, the challenger would have been wrong: demo bookers lost. These must not count.
    for (const who of ['old1', 'old2', 'old3']) {
      await track(`${who}@x.test`, T0, { type: 'identify' });
      await track(`${who}@x.test`, T0 + DAY, { event: 'Demo Booked' });
      await close(`${who}@x.test`, 'lost', START - DAY);
    }
    await track('old4@x.test', T0, { type: 'identify' });
    await close('old4@x.test', 'won', START - DAY);

    await f.store.setChallenger(f.workspace.id, demosMatter(), { name: 'admin' }, START);
    // Since the start: demo bookers won, the others lost; one lead is still open.
    for (const [who, booked, outcome] of [['new1', true, 'won'], ['new2', true, 'won'], ['new3', false, 'lost'], ['new4', false, 'lost'], ['open', true, null]] as const) {
      await track(`${who}@y.test`, START + DAY, { type: 'identify' });
      if (booked) await track(`${who}@y.test`, START + 2 * DAY, { event: 'Demo Booked' });
      if (outcome) await close(`${who}@y.test`, outcome, START + 3 * DAY);
    }

    const response = await jsonRequest(f.app, 'GET', '/api/reports/challenger', f.adminToken);
    expect(response.status).toBe(200);
    const report = ChallengerReport.parse(await response.json());
    expect(report.startedAt).toBe(new Date(START).toISOString());
    expect({ leads: report.leads, won: report.overall.won, lost: report.overall.lost }).toEqual({ leads: 4, won: 2, lost: 2 });
    // The champion gives all four the same score (ties: 0.5); the challenger ranks both winners first.
    expect(report.champion).toMatchObject({ label: 'champion', version: DEFAULT_MODEL.version, auc: 0.5 });
    expect(report.challenger).toMatchObject({ label: 'challenger', version: null, auc: 1 });
    expect(report.comparison.difference).toBeCloseTo(0.5, 10);
    expect(report.comparison.tierChanges).toBe(2);
    const challengerTiers = Object.fromEntries(report.challenger.byTier.map((t) => [t.value, [t.won, t.lost]]));
    expect(challengerTiers.Warm).toEqual([2, 0]);
    expect(challengerTiers.Cold).toEqual([0, 2]);
  });

  it.runIf(available)('promote makes the challenger the model; its rescore job moves every lead to it', async () => {
    f = await openFixture(kind);
    await send(f, { batch: [...annVisits(), event({ anonymousId: 'v-bo', type: 'identify', traits: { email: 'bo@beta.test' }, ago: DAY })] });
    await setChallenger(f, pagesMatter());
    await drain(f);
    const annId = await leadIdOf(f, 'ann@acme.test');
    const shadow = (await shadowOf(f, annId)).score!;

    const response = await jsonRequest(f.app, 'POST', '/api/model/challenger/promote', f.adminToken);
    expect(response.status).toBe(202);
    const promoted = ModelPutResponse.parse(await response.json());
    expect(promoted.model).toMatchObject({ name: 'Pages matter', version: DEFAULT_MODEL.version + 1 });
    expect(promoted.job).toMatchObject({ kind: 'rescore', state: 'queued', modelVersion: DEFAULT_MODEL.version + 1, progress: { total: 2 } });
    expect(response.headers.get('location')).toBe(`/api/jobs/${promoted.job.id}`);
    await apiError(await jsonRequest(f.app, 'GET', '/api/model/challenger', f.adminToken), 404, 'no_challenger');

    await drain(f);
    const job = Job.parse(await (await jsonRequest(f.app, 'GET', `/api/jobs/${promoted.job.id}`, f.adminToken)).json());
    expect(job).toMatchObject({ state: 'done', progress: { done: 2, total: 2 } });
    const ann = (await lookupBody(f, 'ann@acme.test')).summary;
    expect(ann.modelVersion).toBe(DEFAULT_MODEL.version + 1);
    expect(ann.score).toBeCloseTo(shadow, 9);
    expect((await lookupBody(f, 'bo@beta.test')).summary.modelVersion).toBe(DEFAULT_MODEL.version + 1);
    expect(await shadowOf(f, annId)).toEqual({ score: null, tier: null, aggregate: null });
  });

  it.runIf(available)('stop clears every shadow score and ends the shadow job; a replaced challenger supersedes its job', async () => {
    f = await openFixture(kind);
    await send(f, { batch: annVisits() });
    const first = await setChallenger(f, pagesMatter());
    const second = await setChallenger(f, demosMatter());
    const firstJob = Job.parse(await (await jsonRequest(f.app, 'GET', `/api/jobs/${first.job!.id}`, f.adminToken)).json());
    expect(firstJob.state).toBe('superseded');
    await drain(f);
    const annId = await leadIdOf(f, 'ann@acme.test');
    expect((await shadowOf(f, annId)).score).not.toBeNull();

    const stopped = await jsonRequest(f.app, 'DELETE', '/api/model/challenger', f.adminToken);
    expect(stopped.status).toBe(204);
    expect(await shadowOf(f, annId)).toEqual({ score: null, tier: null, aggregate: null });
    await apiError(await jsonRequest(f.app, 'DELETE', '/api/model/challenger', f.adminToken), 404, 'no_challenger');
    // Ingest after the stop writes no shadow score.
    await send(f, { batch: [event({ anonymousId: 'v-ann', ago: 1_000 })] });
    expect((await shadowOf(f, annId)).score).toBeNull();
    expect((await f.store.getJob(f.workspace.id, second.job!.id))!.state).toBe('done');
  });

  it.runIf(available)('refuses bad bodies with a code and writes nothing; reps get 403; no challenger is a 404', async () => {
    f = await openFixture(kind);
    const bad = { ...pagesMatter(), tiers: 'hot' };
    const refused = await apiError(await jsonRequest(f.app, 'PUT', '/api/model/challenger', f.adminToken, bad), 400, 'invalid_model');
    expect(refused.issues?.[0]?.path).toEqual(['tiers']);
    await apiError(await jsonRequest(f.app, 'PUT', '/api/model/challenger', f.adminToken, '{"name":'), 400, 'invalid_json');
    const dump = await f.dump();
    expect(dump.challengers).toEqual([]);
    expect((dump.jobs as { kind: string }[]).filter((j) => j.kind === 'shadow')).toEqual([]);

    for (const [method, path] of [
      ['GET', '/api/model/challenger'],
      ['DELETE', '/api/model/challenger'],
      ['POST', '/api/model/challenger/promote'],
      ['GET', '/api/reports/challenger'],
    ] as const) {
      await apiError(await jsonRequest(f.app, method, path, f.adminToken), 404, 'no_challenger');
    }
    for (const [method, path, body] of [
      ['GET', '/api/model/challenger', undefined],
      ['PUT', '/api/model/challenger', pagesMatter()],
      ['DELETE', '/api/model/challenger', undefined],
      ['POST', '/api/model/challenger/promote', undefined],
      ['GET', '/api/reports/challenger', undefined],
    ] as const) {
      await apiError(await jsonRequest(f.app, method, path, f.repToken, body), 403, 'forbidden');
    }
    expect((await f.dump()).challengers).toEqual([]);
    // Another workspace's challenger is not this one's.
    await setChallenger(f, pagesMatter());
    await apiError(await jsonRequest(f.app, 'GET', '/api/model/challenger', f.other.adminToken), 404, 'no_challenger');
  });
});
