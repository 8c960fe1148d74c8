import { afterEach, describe, expect, it } from 'vitest';
import { AccountDetail, AccountSummary, DEFAULT_MODEL, LeadSummary, TopAccounts, type TrackedEvent } from '../../../shared/index';
import { hasPostgres } from '../../support/env';
import { putModelAndRescore } from '../support/jobs';
import { apiError, collect, event, jsonRequest, NOW, openFixture, type AppFixture, type StoreKind } from '../support/app';

const KINDS: StoreKind[] = (await hasPostgres()) ? ['sqlite', 'postgres'] : ['sqlite'];

let f: AppFixture;
afterEach(() => f?.close());

const get = async (path: string) => jsonRequest(f.app, 'GET', path, f.repToken);
const identify = (email: string, visitor: string, traits: Record<string, unknown> = {}) => event({ type: 'identify', anonymousId: visitor, traits: { email, ...traits } });
const track = (visitor: string, name: string) => event({ type: 'track', anonymousId: visitor, event: name });
const pages = (visitor: string, n: number) => Array.from({ length: n }, () => event({ anonymousId: visitor }));

async function send(batch: TrackedEvent[]) {
  expect((await collect(f.app, { siteKey: f.site.key, batch })).status).toBe(202);
}

async function summaryOf(email: string): Promise<LeadSummary> {
  const body = (await (await get(`/api/leads?email=${encodeURIComponent(email)}`)).json()) as { leads: Record<string, unknown> };
  return LeadSummary.parse(body.leads[email]);
}

async function account(id: string): Promise<AccountDetail> {
  const response = await get(`/api/accounts/${id}`);
  expect(response.status).toBe(200);
  return AccountDetail.parse(await response.json());
}

/**
 * Four people at Acme Robotics, engagement by the default model (events a minute old: decay rounds away):
 * Ann a form (10) + a page (1) = 11, Bo a form = 10, Cy three pages = 3, Di one page = 1.
 */
async function acme(): Promise<string> {
  await send([identify('ann@acme-robotics.com', 'v-ann', { company: 'Acme Robotics', industry: 'Software' }), track('v-ann', 'Form Submitted'), ...pages('v-ann', 1)]);
  await send([identify('bo@acme-robotics.com', 'v-bo'), track('v-bo', 'Form Submitted')]);
  await send([identify('cy@acme-robotics.com', 'v-cy'), ...pages('v-cy', 3)]);
  await send([identify('di@eu.acme-robotics.com', 'v-di'), ...pages('v-di', 1)]);
  return (await summaryOf('ann@acme-robotics.com')).account!.id;
}

describe.each(KINDS)('accounts on %s', (kind) => {
  it('rolls its people up as by hand, explains every point, and shows on each lead', async () => {
    f = await openFixture(kind);
    const id = await acme();
    const detail = await account(id);
    // Fit: Software (taken from Ann) 10. Engagement: top three 11 + 10 + 3 = 24, two engaged (>= 5) x 5 = 10: 34. Total 44, Warm.
    expect(detail).toMatchObject({ name: 'Acme Robotics', domain: 'acme-robotics.com', fit: 10, engagement: 34, score: 44, tier: 'Warm', people: 4, peopleEngaged: 2, targetAccount: false });
    expect(detail.attributes).toEqual({ industry: 'Software' });
    expect(detail.breakdown.map((l) => [l.label, l.points])).toEqual([
      ['Target industry', 10],
      ['Engagement of ann@acme-robotics.com', 11],
      ['Engagement of bo@acme-robotics.com', 10],
      ['Engagement of cy@acme-robotics.com', 3],
      ['2 people engaged', 10],
    ]);
    expect(detail.members.map((m) => m.email)).toEqual(['ann@acme-robotics.com', 'bo@acme-robotics.com', 'cy@acme-robotics.com', 'di@eu.acme-robotics.com']);
    expect((await summaryOf('di@eu.acme-robotics.com')).account).toEqual({ id, name: 'Acme Robotics', domain: 'acme-robotics.com', score: 44, tier: 'Warm', peopleEngaged: 2 });

    const byDomain = await get('/api/accounts?domain=https://www.acme-robotics.com/team');
    expect(AccountSummary.parse(await byDomain.json()).id).toBe(id);
    const warm = TopAccounts.parse(await (await get('/api/accounts/top?tier=Warm')).json());
    expect(warm.accounts.map((a) => a.id)).toEqual([id]);
    expect(TopAccounts.parse(await (await get('/api/accounts/top?tier=Hot')).json()).accounts).toEqual([]);
    await apiError(await get('/api/accounts/top?tier=Lukewarm'), 400, 'unknown_tier');
    await apiError(await get('/api/accounts/ac_nope'), 404, 'account_not_found');
    // The other workspace sees nothing of it.
    await apiError(await jsonRequest(f.app, 'GET', `/api/accounts/${id}`, f.other.repToken), 404, 'account_not_found');
  });

  it('keeps free and disposable mail out of every account', async () => {
    f = await openFixture(kind);
    await send([identify('pat@gmail.com', 'v-pat'), track('v-pat', 'Form Submitted')]);
    await send([identify('tmp@mailinator.com', 'v-tmp'), track('v-tmp', 'Form Submitted')]);
    expect((await summaryOf('pat@gmail.com')).account).toBeNull();
    expect((await summaryOf('tmp@mailinator.com')).account).toBeNull();
    expect((await f.dump()).accounts).toEqual([]);
    await apiError(await get('/api/accounts?domain=gmail.com'), 404, 'account_not_found');
  });

  it('groups a free-mail lead by the company it gives', async () => {
    f = await openFixture(kind);
    await send([identify('pat@gmail.com', 'v-pat', { company: 'Initech, Inc.' }), track('v-pat', 'Form Submitted')]);
    await send([identify('sam@yahoo.com', 'v-sam', { company: 'INITECH' })]);
    const pat = (await summaryOf('pat@gmail.com')).account!;
    expect(pat).toMatchObject({ name: 'Initech, Inc.', domain: null, peopleEngaged: 1 });
    expect((await summaryOf('sam@yahoo.com')).account!.id).toBe(pat.id);
  });

  it('rescores both accounts when a lead moves, and says so by webhook when a tier changes', async () => {
    f = await openFixture(kind, { allowPrivateWebhooks: true });
    expect((await jsonRequest(f.app, 'POST', '/api/webhooks', f.adminToken, { url: 'https://hooks.example.com/x', events: ['account.tier_changed'] })).status).toBe(201);
    const acmeId = await acme();
    const bo = await summaryOf('bo@acme-robotics.com');
    const moved = await jsonRequest(f.app, 'PATCH', `/api/leads/${bo.id}`, f.repToken, { attributes: { companyDomain: 'globex-industries.com' } });
    expect(moved.status).toBe(200);
    const globex = LeadSummary.parse(await moved.json()).account!;
    expect(globex).toMatchObject({ domain: 'globex-industries.com', score: 15, tier: 'Cold', peopleEngaged: 1 });
    // Acme without Bo: 10 fit + top three 11 + 3 + 1 = 15 + one engaged 5 = 30, Cold.
    expect(await account(acmeId)).toMatchObject({ score: 30, tier: 'Cold', people: 3, peopleEngaged: 1 });
    const messages = (await f.dump()).webhook_messages as { type: string; payload: string }[];
    // Acme went Warm when Bo came (10 + 11 + 10 + 2 x 5 = 41), then Cold when he left.
    expect(messages.map((m) => JSON.parse(m.payload).data)).toEqual([
      { account: { id: acmeId, name: 'Acme Robotics', domain: 'acme-robotics.com', score: 41, tier: 'Warm', people: 2, peopleEngaged: 2 }, previous: { tier: 'Cold' }, current: { tier: 'Warm' } },
      { account: { id: acmeId, name: 'Acme Robotics', domain: 'acme-robotics.com', score: 30, tier: 'Cold', people: 3, peopleEngaged: 1 }, previous: { tier: 'Warm' }, current: { tier: 'Cold' } },
    ]);
  });

  it("takes an erased lead out of its account's numbers, and an account with no one left goes", async () => {
    f = await openFixture(kind);
    const id = await acme();
    await f.store.eraseLead(f.workspace.id, (await summaryOf('ann@acme-robotics.com')).id, NOW);
    // Bo 10 + Cy 3 + Di 1 = 14, one engaged 5; the industry Ann gave stays the account's: 10. 29.
    expect(await account(id)).toMatchObject({ score: 29, people: 3, peopleEngaged: 1 });
    expect((await account(id)).breakdown.map((l) => l.label)).not.toContain('Engagement of ann@acme-robotics.com');
    for (const email of ['bo@acme-robotics.com', 'cy@acme-robotics.com', 'di@eu.acme-robotics.com']) await f.store.eraseLead(f.workspace.id, (await summaryOf(email)).id, NOW);
    await apiError(await get(`/api/accounts/${id}`), 404, 'account_not_found');
    expect((await f.dump()).accounts).toEqual([]);
  });

  it('rolls every account up again when a model change is rescored', async () => {
    f = await openFixture(kind);
    const id = await acme();
    const accounts = { ...DEFAULT_MODEL.accounts!, engagement: { ...DEFAULT_MODEL.accounts!.engagement, topPeople: 1, pointsPerEngaged: 20, maxEngagedPoints: 40 } };
    await putModelAndRescore(f.store, f.workspace.id, { ...DEFAULT_MODEL, version: 2, accounts }, { name: 'test' }, NOW);
    // 10 fit + Ann's 11 + two engaged x 20 = 40: engagement 51 capped at 50; 60, Warm.
    expect(await account(id)).toMatchObject({ fit: 10, engagement: 50, score: 60, tier: 'Warm' });
  });
});
