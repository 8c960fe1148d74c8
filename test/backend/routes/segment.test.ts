import { Analytics } from '@segment/analytics-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../backend/src/server';
import { apiError, fixture, rowCounts, type Fixture } from '../support/app';

/** Segment's own Node SDK, pointed at a real socket: the compatibility claim, tested with the real client. */
describe('Segment-compatible API /v1', () => {
  let f: Fixture;
  let server: RunningServer;
  beforeEach(async () => {
    f = await fixture();
    server = await startServer({ store: f.store, port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await server.close();
    await f.close();
  });

  const client = (writeKey: string) => new Analytics({ writeKey, host: server.url, flushAt: 5, flushInterval: 50, maxRetries: 0 });

  it('accepts track, page, identify and alias calls from @segment/analytics-node', async () => {
    const analytics = client(f.site.key);
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    analytics.page({ anonymousId: 'seg-anon', name: 'Pricing', properties: { path: '/pricing', url: 'https://www.acme.test/pricing' } });
    analytics.track({ anonymousId: 'seg-anon', event: 'Webinar Registered', properties: { webinar: 'Scoring 101' } });
    analytics.identify({ anonymousId: 'seg-anon', userId: 'Seg@Acme.test', traits: { name: 'Seg Ment', title: 'Head of Sales' } });
    analytics.track({ userId: 'seg@acme.test', event: 'Webinar Attended' });
    analytics.alias({ previousId: 'old-device', userId: 'seg@acme.test' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);

    const lead = (await f.store.findLeadsByEmails(f.workspace.id, ['seg@acme.test'])).get('seg@acme.test')!;
    expect(lead.name).toBe('Seg Ment');
    expect(lead.attributes.jobTitle?.value).toBe('Head of Sales');
    const names = (await f.store.timeline(f.workspace.id, lead.id, { limit: 10 })).events.map((e) => e.name).sort();
    expect(names).toEqual(['Aliased', 'Identified', 'Page Viewed', 'Webinar Attended', 'Webinar Registered']);
    expect((await f.store.findLeadByVisitor(f.workspace.id, 'old-device'))?.id).toBe(lead.id);
  });

  it("maps Segment's reserved traits, nested company and address included, so the fit scores industry and company size", async () => {
    const analytics = client(f.site.key);
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    analytics.identify({
      userId: 'dana@northwind.test',
      traits: {
        firstName: 'Dana',
        lastName: 'Ruiz',
        title: 'VP Operations',
        company: { name: 'Northwind Software', industry: 'Software', employee_count: 250, plan: 'enterprise', id: 'nw-1' },
        address: { country: 'Germany', city: 'Berlin', state: 'BE', street: '1 Main St', postalCode: '10115' },
        phone: '+49 30 1234', gender: 'female', age: 41,
      },
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);

    const lead = (await f.store.findLeadsByEmails(f.workspace.id, ['dana@northwind.test'])).get('dana@northwind.test')!;
    expect(lead.name).toBe('Dana Ruiz');
    const values = Object.fromEntries(Object.entries(lead.attributes).map(([key, a]) => [key, a?.value]));
    expect(values).toMatchObject({ jobTitle: 'VP Operations', industry: 'Software', companySize: 250, company: 'Northwind Software', companyId: 'nw-1', plan: 'enterprise', country: 'Germany', city: 'Berlin', region: 'BE' });
    // Contact data and traits a fit model must not use are not kept.
    expect(Object.keys(values)).not.toEqual(expect.arrayContaining(['phone']));
    expect(Object.keys(values).filter((k) => ['phone', 'gender', 'age', 'street', 'postalCode'].includes(k))).toEqual([]);

    const res = await f.app.request(`/api/leads/${lead.id}`, { headers: { Authorization: `Bearer ${f.repToken}` } });
    const { breakdown } = (await res.json()) as { breakdown: { ruleId: string; points: number }[] };
    expect(breakdown.map((line) => line.ruleId)).toEqual(expect.arrayContaining(['target-industry', 'company-size']));
  });

  it('fills attributes from context.traits and the first campaign of track and page calls, never over what is set', async () => {
    const analytics = client(f.site.key);
    analytics.identify({ userId: 'lee@acme.test', traits: { industry: 'Retail' } });
    analytics.page({ userId: 'lee@acme.test', name: 'Pricing', context: { campaign: { source: 'linkedin', medium: 'paid-social', name: 'q3-launch' }, traits: { industry: 'Software', company: { employee_count: 80 } } } });
    analytics.track({ userId: 'lee@acme.test', event: 'Webinar Attended', context: { campaign: { source: 'newsletter', medium: 'email', name: 'digest' } } });
    await analytics.closeAndFlush({ timeout: 10_000 });

    const lead = (await f.store.findLeadsByEmails(f.workspace.id, ['lee@acme.test'])).get('lee@acme.test')!;
    const values = Object.fromEntries(Object.entries(lead.attributes).map(([key, a]) => [key, a?.value]));
    expect(values).toMatchObject({ industry: 'Retail', companySize: 80, source: 'linkedin', medium: 'paid-social', campaign: 'q3-launch' });
  });

  it('stores nothing for a client with a wrong write key', async () => {
    const analytics = client('pk_wrong');
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    analytics.track({ userId: 'x@acme.test', event: 'Webinar Attended' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors.length).toBeGreaterThan(0);
    expect(rowCounts(f.file).events).toBe(0);
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const basic = (key: string) => ({ Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

  it('takes the write key from Basic auth or from the body, and challenges without one', async () => {
    const call = { userId: 'w@acme.test', event: 'Demo Requested', messageId: 'seg-1', timestamp: new Date().toISOString() };
    const unauthenticated = await post('/v1/track', call);
    await apiError(unauthenticated, 401, 'invalid_write_key');
    expect(unauthenticated.headers.get('www-authenticate')).toMatch(/^Basic/);
    await apiError(await post('/v1/track', call, basic('pk_nope')), 401, 'invalid_write_key');
    const byHeader = await post('/v1/track', call, basic(f.site.key));
    expect(await byHeader.json()).toEqual({ success: true, accepted: 1, duplicates: 0, ignored: 0 });
    const byBody = await post('/v1/batch', { writeKey: f.site.key, batch: [{ ...call, type: 'track' }] });
    expect(await byBody.json()).toEqual({ success: true, accepted: 0, duplicates: 1, ignored: 0 });
  });

  it("gives Segment's defaults to missing messageId and timestamp, and ignores screen and group calls", async () => {
    const response = await post('/v1/batch', { batch: [{ type: 'track', userId: 'd@acme.test', event: 'Signed Up' }, { type: 'screen', userId: 'd@acme.test' }, { type: 'group', userId: 'd@acme.test', groupId: 'g' }] }, basic(f.site.key));
    expect(await response.json()).toEqual({ success: true, accepted: 1, duplicates: 0, ignored: 2 });
  });

  it('refuses malformed calls whole, naming each problem by its place in the batch', async () => {
    const good = { type: 'track', userId: 'm@acme.test', event: 'Ok', messageId: 'ok-1', timestamp: new Date().toISOString() };
    const body = await apiError(await post('/v1/batch', { batch: [good, { type: 'track', userId: 'm@acme.test' }, { type: 'identify', timestamp: 'never', userId: 'm@acme.test' }] }, basic(f.site.key)), 400, 'invalid_batch');
    expect(body.issues!.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['batch.1.event', 'batch.2.timestamp']));
    await apiError(await post('/v1/batch', '{"batch": [', basic(f.site.key)), 400, 'invalid_json');
    await apiError(await post('/v1/batch', { batch: [] }, basic(f.site.key)), 400, 'invalid_batch');
    await apiError(await post('/v1/track', [good], basic(f.site.key)), 400, 'invalid_event');
    expect(rowCounts(f.file).events).toBe(0);
  });

  it('checks the Origin of browser calls against the site', async () => {
    const call = { anonymousId: 'b-1', event: 'Clicked', messageId: 'o-1', timestamp: new Date().toISOString() };
    await apiError(await post('/v1/track', call, { ...basic(f.site.key), Origin: 'https://evil.test' }), 403, 'origin_not_allowed');
    const allowed = await post('/v1/track', call, { ...basic(f.site.key), Origin: 'https://www.acme.test' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://www.acme.test');
  });
});
