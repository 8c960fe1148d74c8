import { afterEach, describe, expect, it } from 'vitest';
import { MeResponse } from '../../../shared/index';
import { hasPostgres } from '../../support/env';
import { apiError, dumpSqlite, fixture, jsonRequest, NOW, postgresFixture, type AppFixture, type Fixture } from '../support/app';

const ORIGIN = 'http://localhost';
const HOUR = 3_600_000;

/** Signs in through POST /api/session as the console does; returns the Set-Cookie header and the cookie pair. */
async function signIn(f: Fixture, token: string, base = ORIGIN) {
  const response = await f.app.request(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ token }) });
  expect(response.status).toBe(201);
  const setCookie = response.headers.get('set-cookie')!;
  return { response, setCookie, cookie: setCookie.split(';')[0]! };
}

/** A request authenticated by the cookie alone, as a browser makes it. */
function withCookie(f: Fixture, method: string, path: string, cookie: string, headers: Record<string, string> = {}, body?: unknown) {
  return f.app.request(`${ORIGIN}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('console sessions', () => {
  let f: Fixture;
  afterEach(async () => {
    await f.close();
  });

  it('exchanges a token for an httpOnly, SameSite=Strict cookie whose secret is stored only as a hash', async () => {
    f = await fixture();
    const { response, setCookie, cookie } = await signIn(f, f.adminToken);
    expect(MeResponse.parse(await response.json())).toMatchObject({ role: 'admin', workspace: { id: f.workspace.id } });
    expect(setCookie).toMatch(/^leadscore_session=ls_session_\w+;/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/); // plain http://localhost, as `npm start` serves it
    const secret = cookie.split('=')[1]!;
    const stored = JSON.stringify(dumpSqlite(f.file).console_sessions);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(f.adminToken);
    expect((await withCookie(f, 'GET', '/api/me', cookie)).status).toBe(200);
  });

  it('marks the cookie Secure over HTTPS', async () => {
    f = await fixture();
    const { setCookie } = await signIn(f, f.repToken, 'https://leadscore.example.com');
    expect(setCookie).toMatch(/; Secure/);
  });

  it('refuses a bad token, a sign-in from another site, and an empty body', async () => {
    f = await fixture();
    const post = (headers: Record<string, string>, body: string) => f.app.request(`${ORIGIN}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    await apiError(await post({ origin: ORIGIN }, JSON.stringify({ token: 'ls_admin_nope' })), 401, 'invalid_token');
    await apiError(await post({ origin: 'https://evil.example' }, JSON.stringify({ token: f.adminToken })), 403, 'cross_site_request');
    await apiError(await post({}, JSON.stringify({ token: f.adminToken })), 403, 'cross_site_request');
    await apiError(await post({ origin: ORIGIN }, '{}'), 400, 'invalid_body');
    expect(dumpSqlite(f.file).console_sessions).toEqual([]);
  });

  it('lets the cookie change things only from the same origin (CSRF)', async () => {
    f = await fixture();
    const lead = (await (await jsonRequest(f.app, 'POST', '/api/leads', f.repToken, { email: 'ann@acme.test' })).json()) as { id: string };
    const { cookie } = await signIn(f, f.repToken);
    const patch = (headers: Record<string, string>) => withCookie(f, 'PATCH', `/api/leads/${lead.id}`, cookie, headers, { rating: 7 });
    await apiError(await patch({}), 403, 'cross_site_request');
    await apiError(await patch({ origin: 'https://evil.example' }), 403, 'cross_site_request');
    await apiError(await patch({ origin: ORIGIN, 'sec-fetch-site': 'cross-site' }), 403, 'cross_site_request');
    const lead0 = await f.store.getLead(f.workspace.id, lead.id);
    expect(lead0!.attributes.rating).toBeUndefined();
    expect((await patch({ origin: ORIGIN, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await f.store.getLead(f.workspace.id, lead.id))!.attributes.rating?.value).toBe(7);
  });

  it('accepts the Origin PUBLIC_URL names, behind a proxy that rewrites Host', async () => {
    f = await fixture({ publicUrl: 'https://leads.example.com' });
    const post = (origin: string) =>
      f.app.request('http://127.0.0.1:8787/api/session', { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ token: f.repToken }) });
    expect((await post('https://leads.example.com')).status).toBe(201);
    await apiError(await post('https://evil.example'), 403, 'cross_site_request');
    await apiError(await post('http://leads.example.com'), 403, 'cross_site_request');
  });

  it("gives a rep's session the rep's rights: 403 on every admin endpoint", async () => {
    f = await fixture();
    const lead = (await (await jsonRequest(f.app, 'POST', '/api/leads', f.repToken, { email: 'ann@acme.test' })).json()) as { id: string };
    const { cookie } = await signIn(f, f.repToken);
    const same = { origin: ORIGIN };
    await apiError(await withCookie(f, 'GET', '/api/sites', cookie), 403, 'forbidden');
    await apiError(await withCookie(f, 'GET', '/api/tokens', cookie), 403, 'forbidden');
    await apiError(await withCookie(f, 'POST', '/api/tokens', cookie, same, { role: 'admin' }), 403, 'forbidden');
    await apiError(await withCookie(f, 'DELETE', `/api/leads/${lead.id}`, cookie, same), 403, 'forbidden');
    await apiError(await withCookie(f, 'PUT', '/api/model', cookie, same, {}), 403, 'forbidden');
    expect(await f.store.getLead(f.workspace.id, lead.id)).toBeDefined();
    const admin = await signIn(f, f.adminToken);
    expect((await withCookie(f, 'GET', '/api/tokens', admin.cookie)).status).toBe(200);
  });

  it('ends at sign-out, after 12 hours unused, and when its token is revoked', async () => {
    let now = NOW;
    f = await fixture({ now: () => now });
    const first = await signIn(f, f.repToken);
    const out = await withCookie(f, 'DELETE', '/api/session', first.cookie, { origin: ORIGIN });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/leadscore_session=;.*Max-Age=0/);
    await apiError(await withCookie(f, 'GET', '/api/me', first.cookie), 401, 'session_expired');

    const idle = await signIn(f, f.repToken);
    now += 11 * HOUR;
    expect((await withCookie(f, 'GET', '/api/me', idle.cookie)).status).toBe(200); // use keeps it alive
    now += 11 * HOUR;
    expect((await withCookie(f, 'GET', '/api/me', idle.cookie)).status).toBe(200);
    now += 12 * HOUR + 1;
    await apiError(await withCookie(f, 'GET', '/api/me', idle.cookie), 401, 'session_expired');

    // A session left to expire without ever being used again is deleted by the next sign-in.
    const abandoned = await signIn(f, f.repToken);
    now += 13 * HOUR;
    const revoked = await signIn(f, f.repToken);
    expect(dumpSqlite(f.file).console_sessions).toHaveLength(1);
    await apiError(await withCookie(f, 'GET', '/api/me', abandoned.cookie), 401, 'session_expired');

    const [token] = (await f.store.listTokens(f.workspace.id)).filter((t) => t.role === 'rep');
    await f.store.revokeToken(token!.id, now);
    await apiError(await withCookie(f, 'GET', '/api/me', revoked.cookie), 401, 'session_expired');
    expect(dumpSqlite(f.file).console_sessions).toEqual([]);
  });
});

describe.runIf(await hasPostgres())('console sessions on PostgreSQL', () => {
  let f: AppFixture;
  afterEach(async () => f?.close());

  it('signs in, authenticates by cookie, expires when idle, and signs out', async () => {
    let now = NOW;
    f = await postgresFixture({ now: () => now });
    const post = await f.app.request(`${ORIGIN}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ token: f.adminToken }) });
    expect(post.status).toBe(201);
    const cookie = post.headers.get('set-cookie')!.split(';')[0]!;
    const me = (c: string) => f.app.request(`${ORIGIN}/api/me`, { headers: { cookie: c } });
    expect((await me(cookie)).status).toBe(200);
    expect(JSON.stringify((await f.dump()).console_sessions)).not.toContain(cookie.split('=')[1]!);
    now += 12 * HOUR + 1;
    await apiError(await me(cookie), 401, 'session_expired');
    expect((await f.dump()).console_sessions).toEqual([]);

    const again = (await f.app.request(`${ORIGIN}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ token: f.repToken }) })).headers.get('set-cookie')!.split(';')[0]!;
    expect((await f.app.request(`${ORIGIN}/api/session`, { method: 'DELETE', headers: { cookie: again, origin: ORIGIN } })).status).toBe(204);
    await apiError(await me(again), 401, 'session_expired');
  });
});
