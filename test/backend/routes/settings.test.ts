import { afterEach, describe, expect, it } from 'vitest';
import { CreatedToken, SitesResponse, SiteView, TokensResponse } from '../../../shared/index';
import { apiError, fixture, jsonRequest, type Fixture } from '../support/app';

describe('admin API: sites and tokens', () => {
  let f: Fixture;
  afterEach(async () => {
    await f.close();
  });

  it("lists, creates and extends the workspace's sites, and only its own", async () => {
    f = await fixture();
    const sites = SitesResponse.parse(await (await jsonRequest(f.app, 'GET', '/api/sites', f.adminToken)).json());
    expect(sites.sites.map((s) => s.key)).toEqual([f.site.key]);
    const created = await jsonRequest(f.app, 'POST', '/api/sites', f.adminToken, { origins: ['https://shop.acme.test'] });
    expect(created.status).toBe(201);
    const site = SiteView.parse(await created.json());
    expect(site.origins).toEqual(['https://shop.acme.test']);
    const extended = SiteView.parse(await (await jsonRequest(f.app, 'POST', `/api/sites/${site.key}/origins`, f.adminToken, { origins: ['https://app.acme.test', 'https://shop.acme.test'] })).json());
    expect(extended.origins).toEqual(['https://shop.acme.test', 'https://app.acme.test']);
    await apiError(await jsonRequest(f.app, 'POST', `/api/sites/${f.other.site.key}/origins`, f.adminToken, { origins: ['https://x.test'] }), 404, 'not_found');
    await apiError(await jsonRequest(f.app, 'POST', '/api/sites', f.adminToken, { origins: ['https://acme.test/path'] }), 400, 'invalid_body');
    await apiError(await jsonRequest(f.app, 'POST', '/api/sites', f.adminToken, { origins: [] }), 400, 'invalid_body');
    expect((await f.store.findSiteByKey(f.other.site.key))!.origins).toEqual(['https://globex.test']);
  });

  it('creates a token shown once, lists tokens without secrets, revokes only its own workspace', async () => {
    f = await fixture();
    const response = await jsonRequest(f.app, 'POST', '/api/tokens', f.adminToken, { role: 'rep', label: 'Dana' });
    expect(response.status).toBe(201);
    const created = CreatedToken.parse(await response.json());
    expect(created.token).toMatch(/^ls_rep_/);
    expect((await jsonRequest(f.app, 'GET', '/api/me', created.token)).status).toBe(200);
    const listed = await (await jsonRequest(f.app, 'GET', '/api/tokens', f.adminToken)).text();
    expect(listed).not.toContain(created.token);
    expect(TokensResponse.parse(JSON.parse(listed)).tokens.map((t) => t.label).sort()).toEqual(['Dana', 'Ops', 'Rita']);

    const revoked = await jsonRequest(f.app, 'DELETE', `/api/tokens/${created.id}`, f.adminToken);
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revokedAt: string | null }).revokedAt).not.toBeNull();
    await apiError(await jsonRequest(f.app, 'GET', '/api/me', created.token), 401, 'token_revoked');

    const foreign = (await f.store.listTokens(f.other.workspace.id))[0]!;
    await apiError(await jsonRequest(f.app, 'DELETE', `/api/tokens/${foreign.id}`, f.adminToken), 404, 'not_found');
    expect((await f.store.listTokens(f.other.workspace.id))[0]!.revokedAt).toBeNull();
    await apiError(await jsonRequest(f.app, 'POST', '/api/tokens', f.adminToken, { role: 'owner' }), 400, 'invalid_body');
  });

  it('refuses rep tokens on every settings endpoint', async () => {
    f = await fixture();
    for (const [method, path, body] of [
      ['GET', '/api/sites'],
      ['POST', '/api/sites', { origins: ['https://x.test'] }],
      ['POST', `/api/sites/${f.site.key}/origins`, { origins: ['https://x.test'] }],
      ['GET', '/api/tokens'],
      ['POST', '/api/tokens', { role: 'admin' }],
      ['DELETE', '/api/tokens/tok_x'],
    ] as const) {
      await apiError(await jsonRequest(f.app, method, path, f.repToken, body), 403, 'forbidden');
    }
    expect(await f.store.listSites(f.workspace.id)).toHaveLength(1);
    expect(await f.store.listTokens(f.workspace.id)).toHaveLength(2);
  });
});
