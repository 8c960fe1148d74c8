import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, LeadDetail, LeadSummary, ModelPutResponse, type ScoringModel } from '../../../shared/index';
import { createApp } from '../../../backend/src/app';
import { JobRunner } from '../../../backend/src/jobs/job-runner';
import { apiError, collect, dumpSqlite, event, fixture, jsonRequest, NOW, rowCounts, type Fixture } from '../support/app';

const DAY = 86_400_000;

/** A lead made the way leads are made: a visitor browses, registers, identifies, attends. */
async function warmLead(f: Fixture, email: string, visitor: string) {
  const batch = [
    event({ anonymousId: visitor, context: { page: { path: '/pricing' } }, ago: 3 * DAY }),
    event({ anonymousId: visitor, type: 'track', event: 'Webinar Registered', ago: 2 * DAY }),
    event({ anonymousId: visitor, type: 'identify', traits: { email, title: 'VP Engineering' }, ago: 2 * DAY }),
    event({ anonymousId: visitor, type: 'track', event: 'Webinar Attended', ago: DAY }),
  ];
  expect((await collect(f.app, { siteKey: f.site.key, batch })).status).toBe(202);
  return (await f.store.findLeadsByEmails(f.workspace.id, [email])).get(email)!;
}

describe('rep API: leads', () => {
  let f: Fixture;
  afterEach(async () => {
    await f.close();
  });

  describe('GET /api/leads (batch lookup)', () => {
    it('answers one key per value sent, as sent, with a summary or null', async () => {
      f = await fixture();
      const lead = await warmLead(f, 'ann@acme.test', 'v-ann');
      await f.store.patchLead(f.workspace.id, lead.id, { linkedinUrl: 'https://www.linkedin.com/in/ann-lee' }, { name: 'seed' }, NOW);
      const response = await jsonRequest(f.app, 'GET', '/api/leads?email=Ann@Acme.test,nobody@acme.test&email=%20ann@acme.test&linkedin=https://uk.linkedin.com/in/Ann-Lee/', f.repToken);
      expect(response.status).toBe(200);
      const { leads } = (await response.json()) as { leads: Record<string, LeadSummary | null> };
      expect(Object.keys(leads).sort()).toEqual(['Ann@Acme.test', 'ann@acme.test', 'https://uk.linkedin.com/in/Ann-Lee/', 'nobody@acme.test']);
      expect(leads['nobody@acme.test']).toBeNull();
      const summary = LeadSummary.parse(leads['Ann@Acme.test']);
      expect(summary).toMatchObject({ id: lead.id, email: 'ann@acme.test', linkedinUrl: 'https://www.linkedin.com/in/ann-lee', stage: expect.any(String) });
      expect(summary.milestones.map((m) => m.label)).toContain('Attended a webinar');
      expect(summary.reasons.length).toBeGreaterThan(0);
      expect(leads['https://uk.linkedin.com/in/Ann-Lee/']?.id).toBe(lead.id);
    });

    it('applies decay at the moment of reading', async () => {
      f = await fixture();
      await warmLead(f, 'bo@acme.test', 'v-bo');
      const later = createApp({ store: f.store, config: { now: () => NOW + 60 * DAY } });
      const read = async (app: typeof f.app) =>
        ((await (await jsonRequest(app, 'GET', '/api/leads?email=bo@acme.test', f.repToken)).json()) as { leads: Record<string, LeadSummary> }).leads['bo@acme.test']!;
      const now = await read(f.app);
      const then = await read(later);
      expect(then.engagement).toBeLessThan(now.engagement / 3);
      expect(Date.parse(then.scoredAt)).toBe(NOW + 60 * DAY);
    });

    it('refuses more than 100 emails and an empty question', async () => {
      f = await fixture();
      const many = Array.from({ length: 101 }, (_, i) => `p${i}@acme.test`).join(',');
      await apiError(await jsonRequest(f.app, 'GET', `/api/leads?email=${many}`, f.repToken), 400, 'invalid_query');
      await apiError(await jsonRequest(f.app, 'GET', '/api/leads', f.repToken), 400, 'invalid_query');
      const hundred = Array.from({ length: 100 }, (_, i) => `p${i}@acme.test`).join(',');
      expect((await jsonRequest(f.app, 'GET', `/api/leads?email=${hundred}`, f.repToken)).status).toBe(200);
    });
  });

  describe('GET /api/leads/:id', () => {
    it('returns attributes with provenance, breakdown, stage history and a paginated timeline', async () => {
      f = await fixture();
      const lead = await warmLead(f, 'cy@acme.test', 'v-cy');
      await jsonRequest(f.app, 'PATCH', `/api/leads/${lead.id}`, f.repToken, { attributes: { budget: true }, stage: 'MQL' });
      const response = await jsonRequest(f.app, 'GET', `/api/leads/${lead.id}?limit=3`, f.repToken);
      const detail = LeadDetail.parse(await response.json());
      expect(detail.attributes).toContainEqual({ key: 'budget', value: true, setBy: expect.stringMatching(/^Rita \(tok_/), setAt: new Date(NOW).toISOString() });
      expect(detail.attributes).toContainEqual(expect.objectContaining({ key: 'jobTitle', value: 'VP Engineering', setBy: 'identify' }));
      expect(detail.breakdown.reduce((sum, l) => sum + l.points, 0)).toBeCloseTo(detail.fit + detail.engagement, 0);
      expect(detail.stageHistory.map((s) => s.to)).toEqual(['Prospect', 'MQL']);
      expect(detail.stageHistory[1]!.reason).toMatch(/set by Rita/);
      expect(detail.timeline.events).toHaveLength(3);
      expect(detail.timeline.events[0]!.event).toBe('Webinar Attended');
      const next = LeadDetail.parse(await (await jsonRequest(f.app, 'GET', `/api/leads/${lead.id}?limit=3&cursor=${detail.timeline.nextCursor}`, f.repToken)).json());
      expect(next.timeline.events.map((e) => e.event)).toEqual(['Page Viewed']);
      expect(next.timeline.nextCursor).toBeNull();
    });

    it('refuses a forged cursor and a bad limit, and 404s an unknown id', async () => {
      f = await fixture();
      const lead = await warmLead(f, 'di@acme.test', 'v-di');
      await apiError(await jsonRequest(f.app, 'GET', `/api/leads/${lead.id}?cursor=bm9wZQ`, f.repToken), 400, 'invalid_cursor');
      await apiError(await jsonRequest(f.app, 'GET', `/api/leads/${lead.id}?limit=0`, f.repToken), 400, 'invalid_query');
      await apiError(await jsonRequest(f.app, 'GET', '/api/leads/ld_nope', f.repToken), 404, 'not_found');
    });
  });

  describe('PATCH /api/leads/:id', () => {
    it('tags fit attributes, rates, sets outcome, and returns the rescored summary', async () => {
      f = await fixture();
      const lead = await warmLead(f, 'ed@acme.test', 'v-ed');
      const response = await jsonRequest(f.app, 'PATCH', `/api/leads/${lead.id}`, f.repToken, {
        attributes: { industry: 'Software', seniority: 'vp', budget: true, decisionMaker: true, companySize: 200, productFit: 'high' },
        rating: 9,
      });
      const summary = LeadSummary.parse(await response.json());
      expect(summary.fit).toBeGreaterThan(lead.fit + 30);
      expect(summary.score).toBeGreaterThan(lead.score);
      const won = LeadSummary.parse(await (await jsonRequest(f.app, 'PATCH', `/api/leads/${lead.id}`, f.repToken, { outcome: 'won' })).json());
      expect(won.stage).toBe('Customer');
    });

    it('refuses invalid patches with every problem, writing nothing', async () => {
      f = await fixture();
      const lead = await warmLead(f, 'fi@acme.test', 'v-fi');
      const before = dumpSqlite(f.file);
      const bad: [unknown, string][] = [
        [{ rating: 11 }, 'rating'],
        [{ attributes: { seniority: 'king', companySize: -1 } }, 'attributes.seniority'],
        [{ attributes: { emailDomainType: 'business' } }, 'attributes.emailDomainType'],
        [{ stage: 'Won' }, 'stage'],
        [{ hacker: true }, ''],
        [{}, ''],
        [{ linkedinUrl: 'not a url' }, 'linkedinUrl'],
      ];
      for (const [patch, path] of bad) {
        const body = await apiError(await jsonRequest(f.app, 'PATCH', `/api/leads/${lead.id}`, f.repToken, patch), 400, 'invalid_body');
        expect(body.issues!.map((i) => i.path.join('.'))).toContain(path);
      }
      await apiError(await jsonRequest(f.app, 'PATCH', `/api/leads/${lead.id}`, f.repToken, '{"rating": 3'), 400, 'invalid_json');
      await apiError(await jsonRequest(f.app, 'PATCH', `/api/leads/${lead.id}`, f.repToken, { linkedinUrl: 'https://example.com/in/x' }), 400, 'invalid_linkedin_url');
      expect(dumpSqlite(f.file)).toEqual(before);
    });

    it('applies an edit replayed with the same Idempotency-Key once', async () => {
      f = await fixture();
      const lead = await warmLead(f, 'gu@acme.test', 'v-gu');
      const send = (body: unknown, key: string) => jsonRequest(f.app, 'PATCH', `/api/leads/${lead.id}`, f.repToken, body, { 'Idempotency-Key': key });
      const first = await send({ stage: 'SQL' }, 'edit-1');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      await send({ stage: 'MQL' }, 'edit-2');
      const replay = await send({ stage: 'SQL' }, 'edit-1');
      expect(replay.status).toBe(200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(((await replay.json()) as LeadSummary).stage).toBe('MQL');
      expect((await f.store.stageHistory(f.workspace.id, lead.id)).map((s) => s.to)).toEqual(['Prospect', 'SQL', 'MQL']);
      await apiError(await send({ stage: 'Prospect' }, 'edit-1'), 422, 'idempotency_key_reused');
      await apiError(await send({ stage: 'SQL' }, 'x'.repeat(201)), 400, 'invalid_idempotency_key');
    });
  });

  describe('POST /api/leads', () => {
    it('creates a lead by hand, once per Idempotency-Key, and refuses duplicates', async () => {
      f = await fixture();
      const body = { email: 'ha@globex.test', name: 'Ha', linkedinUrl: 'https://www.linkedin.com/in/ha', attributes: { industry: 'Fintech' } };
      const created = await jsonRequest(f.app, 'POST', '/api/leads', f.repToken, body, { 'Idempotency-Key': 'new-1' });
      expect(created.status).toBe(201);
      const summary = LeadSummary.parse(await created.json());
      expect(summary.fit).toBeGreaterThan(0);
      const replay = await jsonRequest(f.app, 'POST', '/api/leads', f.repToken, body, { 'Idempotency-Key': 'new-1' });
      expect(replay.status).toBe(200);
      expect(((await replay.json()) as LeadSummary).id).toBe(summary.id);
      await apiError(await jsonRequest(f.app, 'POST', '/api/leads', f.repToken, { email: 'HA@globex.test' }), 409, 'lead_exists');
      await apiError(await jsonRequest(f.app, 'POST', '/api/leads', f.repToken, { name: 'No contact' }), 400, 'invalid_body');
      await apiError(await jsonRequest(f.app, 'POST', '/api/leads', f.repToken, { email: 'not-an-email' }), 400, 'invalid_body');
      expect(rowCounts(f.file).leads).toBe(1);
    });
  });

  describe('GET /api/leads/top', () => {
    it('lists the leads of a tier by their score now, highest first', async () => {
      f = await fixture();
      const hot = await warmLead(f, 'io@acme.test', 'v-io');
      await jsonRequest(f.app, 'PATCH', `/api/leads/${hot.id}`, f.repToken, { attributes: { budget: true, decisionMaker: true, industry: 'SaaS', productFit: 'high', seniority: 'vp' } });
      await warmLead(f, 'ju@acme.test', 'v-ju');
      await f.store.createLead(f.workspace.id, { email: 'ka@gmail.com' }, { name: 'seed' }, NOW);
      const top = (await (await jsonRequest(f.app, 'GET', '/api/leads/top?tier=Hot', f.repToken)).json()) as { tier: string; leads: LeadSummary[] };
      expect(top.tier).toBe('Hot');
      expect(top.leads.map((l) => l.id)).toEqual([hot.id]);
      const all = (await (await jsonRequest(f.app, 'GET', '/api/leads/top?limit=2', f.repToken)).json()) as { leads: LeadSummary[] };
      expect(all.leads).toHaveLength(2);
      expect(all.leads[0]!.score).toBeGreaterThanOrEqual(all.leads[1]!.score);
      await apiError(await jsonRequest(f.app, 'GET', '/api/leads/top?tier=Lukewarm', f.repToken), 400, 'unknown_tier');
      await apiError(await jsonRequest(f.app, 'GET', '/api/leads/top?limit=500', f.repToken), 400, 'invalid_query');
    });
  });

  describe('admin: model and erasure', () => {
    it('serves the model to reps; validates, versions and applies a new one for admins', async () => {
      f = await fixture();
      const lead = await warmLead(f, 'la@acme.test', 'v-la');
      expect(await (await jsonRequest(f.app, 'GET', '/api/model', f.repToken)).json()).toEqual(DEFAULT_MODEL);

      const broken = { ...DEFAULT_MODEL, halfLifeDays: -1, tiers: [{ name: 'Cold', min: 0 }, { name: 'Hot', min: 70 }] };
      const refused = await apiError(await jsonRequest(f.app, 'PUT', '/api/model', f.adminToken, broken), 400, 'invalid_model');
      expect(refused.issues!.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['halfLifeDays', 'tiers']));

      const generous: ScoringModel = structuredClone(DEFAULT_MODEL);
      generous.engagement.rules.find((r) => r.id === 'webinar-registered')!.points = 30;
      const response = await jsonRequest(f.app, 'PUT', '/api/model', f.adminToken, generous);
      expect(response.status).toBe(202);
      const put = ModelPutResponse.parse(await response.json());
      expect(put.model.version).toBe(DEFAULT_MODEL.version + 1);
      expect(put.job).toMatchObject({ state: 'queued', modelVersion: put.model.version, progress: { done: 0, total: 1 } });
      expect(((await (await jsonRequest(f.app, 'GET', '/api/model', f.repToken)).json()) as ScoringModel).version).toBe(DEFAULT_MODEL.version + 1);
      await new JobRunner(f.store, { now: () => NOW }).drain();
      expect((await f.store.getLead(f.workspace.id, lead.id))!.engagement).toBeGreaterThan(lead.engagement);
    });

    it('erases a lead and everything it sent (GDPR)', async () => {
      f = await fixture();
      const lead = await warmLead(f, 'mo@acme.test', 'v-mo');
      const response = await jsonRequest(f.app, 'DELETE', `/api/leads/${lead.id}`, f.adminToken);
      expect(await response.json()).toEqual({ erased: true, events: 4, identities: 2 });
      await apiError(await jsonRequest(f.app, 'GET', `/api/leads/${lead.id}`, f.repToken), 404, 'not_found');
      const text = JSON.stringify(dumpSqlite(f.file));
      for (const trace of [lead.id, 'mo@acme.test', 'v-mo']) expect(text).not.toContain(trace);
    });
  });
});
