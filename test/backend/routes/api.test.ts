import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, Job, LeadSummary, ModelCheckResponse, ModelPutResponse, type ScoringModel } from '../../../shared/index';
import { JobRunner } from '../../../backend/src/jobs/job-runner';
import { apiError, collect, event, fixture, jsonRequest, NOW, type Fixture } from '../support/app';

const DAY = 86_400_000;

/** Counts a new event: every stored aggregate is stale for it, so leads keep their old score until the job reaches them. */
function countingDemos(): ScoringModel {
  const model = structuredClone(DEFAULT_MODEL);
  model.engagement.rules.push({ id: 'demo-booked', label: 'Booked a demo', event: 'Demo Booked', points: 25 });
  return model;
}

async function lookup(f: Fixture, email: string): Promise<LeadSummary> {
  const body = (await (await jsonRequest(f.app, 'GET', `/api/leads?email=${email}`, f.repToken)).json()) as { leads: Record<string, unknown> };
  return LeadSummary.parse(body.leads[email]);
}

async function job(f: Fixture, id: string, token = f.repToken): Promise<Job> {
  const response = await jsonRequest(f.app, 'GET', `/api/jobs/${id}`, token);
  expect(response.status).toBe(200);
  return Job.parse(await response.json());
}

describe('admin API: a model change is a job', () => {
  let f: Fixture;
  afterEach(async () => {
    await f.close();
  });

  it('answers 202 with the stored model and its queued job, which GET /api/jobs/:id follows to done', async () => {
    f = await fixture();
    const batch = [
      event({ anonymousId: 'v-ann', type: 'identify', traits: { email: 'ann@acme.test' }, ago: 2 * DAY }),
      event({ anonymousId: 'v-ann', type: 'track', event: 'Demo Booked', ago: DAY }),
    ];
    expect((await collect(f.app, { siteKey: f.site.key, batch })).status).toBe(202);
    const before = await lookup(f, 'ann@acme.test');
    expect(before.modelVersion).toBe(DEFAULT_MODEL.version);

    const response = await jsonRequest(f.app, 'PUT', '/api/model', f.adminToken, countingDemos());
    expect(response.status).toBe(202);
    const put = ModelPutResponse.parse(await response.json());
    expect(response.headers.get('Location')).toBe(`/api/jobs/${put.job.id}`);
    expect(put.model.version).toBe(DEFAULT_MODEL.version + 1);
    expect(put.job).toMatchObject({ kind: 'rescore', state: 'queued', modelVersion: put.model.version, progress: { done: 0, total: 1 }, error: null, startedAt: null });
    expect(await job(f, put.job.id)).toEqual(put.job);

    // Not rescored yet: the stored score from the old version, and it says so.
    const pending = await lookup(f, 'ann@acme.test');
    expect({ score: pending.score, modelVersion: pending.modelVersion }).toEqual({ score: before.score, modelVersion: DEFAULT_MODEL.version });

    await new JobRunner(f.store, { now: () => NOW }).drain();
    const done = await job(f, put.job.id);
    expect(done).toMatchObject({ state: 'done', progress: { done: 1, total: 1 } });
    expect(done.finishedAt).not.toBeNull();
    const after = await lookup(f, 'ann@acme.test');
    expect(after.modelVersion).toBe(put.model.version);
    expect(after.engagement).toBeGreaterThan(before.engagement);
  });

  it('supersedes a queued job when a newer model comes first; the newer job rescores every lead', async () => {
    f = await fixture();
    expect((await collect(f.app, { siteKey: f.site.key, batch: [event({ anonymousId: 'v-bo', type: 'identify', traits: { email: 'bo@acme.test' } })] })).status).toBe(202);
    const first = ModelPutResponse.parse(await (await jsonRequest(f.app, 'PUT', '/api/model', f.adminToken, countingDemos())).json());
    const second = ModelPutResponse.parse(await (await jsonRequest(f.app, 'PUT', '/api/model', f.adminToken, { ...countingDemos(), halfLifeDays: 10 })).json());
    expect((await job(f, first.job.id)).state).toBe('superseded');
    await new JobRunner(f.store, { now: () => NOW }).drain();
    expect(await job(f, first.job.id)).toMatchObject({ state: 'superseded', startedAt: null });
    expect(await job(f, second.job.id)).toMatchObject({ state: 'done', modelVersion: DEFAULT_MODEL.version + 2, progress: { done: 1, total: 1 } });
    expect((await lookup(f, 'bo@acme.test')).modelVersion).toBe(DEFAULT_MODEL.version + 2);
  });

  it("keeps jobs to their workspace: another workspace's job is 404, as is an unknown one; a token is required", async () => {
    f = await fixture();
    const put = ModelPutResponse.parse(await (await jsonRequest(f.app, 'PUT', '/api/model', f.adminToken, countingDemos())).json());
    await apiError(await jsonRequest(f.app, 'GET', `/api/jobs/${put.job.id}`, f.other.repToken), 404, 'not_found');
    await apiError(await jsonRequest(f.app, 'GET', `/api/jobs/${put.job.id}`, f.other.adminToken), 404, 'not_found');
    await apiError(await jsonRequest(f.app, 'GET', '/api/jobs/job_nothing', f.repToken), 404, 'not_found');
    expect((await f.app.request(`/api/jobs/${put.job.id}`)).status).toBe(401);
    expect((await job(f, put.job.id, f.adminToken)).id).toBe(put.job.id);
  });
});

describe('admin API: checking a model draft (POST /api/model/check)', () => {
  let f: Fixture;
  afterEach(async () => {
    await f.close();
  });

  it('names the field at fault in an invalid draft, accepts a valid one, and stores nothing either way', async () => {
    f = await fixture();
    const invalid = countingDemos();
    invalid.fit.rules[0]!.points = 5000;
    const refused = await apiError(await jsonRequest(f.app, 'POST', '/api/model/check', f.adminToken, invalid), 400, 'invalid_model');
    expect(refused.message).toMatch(/^fit\.rules\.0\.points: /);
    expect(refused.issues?.[0]?.path).toEqual(['fit', 'rules', 0, 'points']);

    const accepted = await jsonRequest(f.app, 'POST', '/api/model/check', f.adminToken, countingDemos());
    expect(accepted.status).toBe(200);
    expect(ModelCheckResponse.parse(await accepted.json()).model.engagement.rules.at(-1)!.id).toBe('demo-booked');
    const current = (await (await jsonRequest(f.app, 'GET', '/api/model', f.repToken)).json()) as ScoringModel;
    expect(current.version).toBe(DEFAULT_MODEL.version);
    expect(current.engagement.rules.map((r) => r.id)).not.toContain('demo-booked');
  });

  it('is for admins: a rep token is refused', async () => {
    f = await fixture();
    await apiError(await jsonRequest(f.app, 'POST', '/api/model/check', f.repToken, countingDemos()), 403, 'forbidden');
  });
});
