import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../../shared/index';
import { apiError, fixture, jsonRequest, NOW, type Fixture } from '../support/app';

describe('API authentication and tenancy', () => {
  let f: Fixture;
  let leadId: string;
  beforeAll(async () => {
    f = await fixture();
    leadId = (await f.store.createLead(f.workspace.id, { email: 'ann@acme.test', linkedinUrl: 'https://www.linkedin.com/in/ann' }, { name: 'seed' }, NOW)).lead.id;
  });
  afterAll(async () => {
    await f.close();
  });

  const routes = (): [string, string, unknown?][] => [
    ['GET', '/api/me'],
    ['GET', '/api/leads?email=ann@acme.test'],
    ['GET', '/api/leads/top'],
    ['POST', '/api/leads', { email: 'new@acme.test' }],
    ['GET', `/api/leads/${leadId}`],
    ['PATCH', `/api/leads/${leadId}`, { rating: 3 }],
    ['DELETE', `/api/leads/${leadId}`],
    ['GET', '/api/model'],
    ['PUT', '/api/model', DEFAULT_MODEL],
  ];

  it('refuses every API route without a token, with a Bearer challenge', async () => {
    for (const [method, path, body] of routes()) {
      const response = await f.app.request(path, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
      await apiError(response, 401, 'unauthorized');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('refuses malformed and unknown tokens', async () => {
    for (const [method, path, body] of routes()) {
      await apiError(await f.app.request(path, { method, headers: { Authorization: `Basic ${f.repToken}` }, body: body ? JSON.stringify(body) : undefined }), 401, 'unauthorized');
      await apiError(await jsonRequest(f.app, method, path, `${f.repToken}x`, body), 401, 'invalid_token');
    }
  });

  it('refuses a revoked token at once', async () => {
    const { token, secret } = await f.store.createToken(f.workspace.id, 'admin', 'temp', NOW);
    expect((await jsonRequest(f.app, 'GET', '/api/me', secret)).status).toBe(200);
    await f.store.revokeToken(token.id, NOW);
    for (const [method, path, body] of routes()) await apiError(await jsonRequest(f.app, method, path, secret, body), 401, 'token_revoked');
  });

  it('refuses admin routes to a rep token', async () => {
    await apiError(await jsonRequest(f.app, 'PUT', '/api/model', f.repToken, DEFAULT_MODEL), 403, 'forbidden');
    await apiError(await jsonRequest(f.app, 'DELETE', `/api/leads/${leadId}`, f.repToken), 403, 'forbidden');
    expect(await f.store.getLead(f.workspace.id, leadId)).toBeDefined();
    expect((await f.store.currentModel(f.workspace.id)).model.version).toBe(DEFAULT_MODEL.version);
  });

  it("answers another workspace's token as if the lead did not exist (404, not 403)", async () => {
    for (const token of [f.other.repToken, f.other.adminToken]) {
      await apiError(await jsonRequest(f.app, 'GET', `/api/leads/${leadId}`, token), 404, 'not_found');
      await apiError(await jsonRequest(f.app, 'PATCH', `/api/leads/${leadId}`, token, { rating: 1 }), 404, 'not_found');
    }
    await apiError(await jsonRequest(f.app, 'DELETE', `/api/leads/${leadId}`, f.other.adminToken), 404, 'not_found');
    const lookup = await jsonRequest(f.app, 'GET', '/api/leads?email=ann@acme.test&linkedin=https://www.linkedin.com/in/ann', f.other.repToken);
    expect(await lookup.json()).toEqual({ leads: { 'ann@acme.test': null, 'https://www.linkedin.com/in/ann': null } });
    const top = await jsonRequest(f.app, 'GET', '/api/leads/top', f.other.repToken);
    expect(((await top.json()) as { leads: unknown[] }).leads).toEqual([]);
    expect((await f.store.getLead(f.workspace.id, leadId))!.attributes.rating).toBeUndefined();
  });

  it('tells the extension who it is: workspace, role and API version', async () => {
    const response = await jsonRequest(f.app, 'GET', '/api/me', f.repToken);
    expect(await response.json()).toEqual({
      apiVersion: 1,
      workspace: { id: f.workspace.id, name: 'Acme' },
      role: 'rep',
      token: { id: expect.stringMatching(/^tok_/), label: 'Rita' },
    });
    expect(((await (await jsonRequest(f.app, 'GET', '/api/me', f.other.adminToken)).json()) as { role: string }).role).toBe('admin');
  });
});
