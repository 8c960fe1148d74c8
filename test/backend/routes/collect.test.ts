import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SITE_SETTING } from '../../../backend/src/app';
import { apiError, collect, event, fixture, ORIGIN, rowCounts, type Fixture } from '../support/app';

describe('POST /collect', () => {
  let f: Fixture;
  afterEach(async () => {
    await f.close();
  });

  it('commits a batch, answers 202 with counts and CORS headers for the allowed origin', async () => {
    f = await fixture();
    const batch = { siteKey: f.site.key, sentAt: new Date().toISOString(), batch: [event(), event({ type: 'track', event: 'File Downloaded' })] };
    const response = await collect(f.app, batch);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 2, duplicates: 0 });
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(rowCounts(f.file).events).toBe(2);
  });

  it('stores a retried batch once', async () => {
    f = await fixture();
    const batch = { siteKey: f.site.key, batch: [event(), event()] };
    for (let i = 0; i < 5; i++) await collect(f.app, batch);
    const last = await collect(f.app, batch);
    expect(await last.json()).toEqual({ accepted: 0, duplicates: 2 });
    expect(rowCounts(f.file).events).toBe(2);
  });

  it('answers a CORS preflight for clients that send application/json', async () => {
    f = await fixture();
    const response = await f.app.request('/collect', { method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  describe('refuses malformed input whole, writing nothing', () => {
    const cases: [string, (f: Fixture) => unknown, number, string][] = [
      ['bad JSON', () => '{"siteKey": "pk_x", "batch": [', 400, 'invalid_json'],
      ['a JSON array', () => [1, 2], 400, 'invalid_batch'],
      ['wrong types', (f) => ({ siteKey: f.site.key, batch: [event(), { ...event(), timestamp: 5, messageId: ['x'] }] }), 400, 'invalid_batch'],
      ['an empty batch', (f) => ({ siteKey: f.site.key, batch: [] }), 400, 'invalid_batch'],
      ['more than 100 events', (f) => ({ siteKey: f.site.key, batch: Array.from({ length: 101 }, () => event()) }), 400, 'invalid_batch'],
      ['a track event without a name', (f) => ({ siteKey: f.site.key, batch: [event({ type: 'track' })] }), 400, 'invalid_batch'],
      ['an event without anonymousId or userId', (f) => ({ siteKey: f.site.key, batch: [event({ anonymousId: undefined })] }), 400, 'invalid_batch'],
      ['an unknown site', () => ({ siteKey: 'pk_unknown', batch: [event()] }), 400, 'unknown_site'],
      ['a body over the size limit', (f) => ({ siteKey: f.site.key, batch: [1, 2, 3].map(() => event({ properties: { pad: 'x'.repeat(8_000) } })) }), 413, 'payload_too_large'],
    ];
    for (const [name, body, status, code] of cases) {
      it(name, async () => {
        f = await fixture({ ingestBodyLimit: 20_000 });
        const before = rowCounts(f.file);
        await apiError(await collect(f.app, body(f)), status, code);
        expect(rowCounts(f.file)).toEqual(before);
      });
    }

    it('lists every problem with its path', async () => {
      f = await fixture();
      const response = await collect(f.app, { siteKey: f.site.key, batch: [event(), { ...event(), timestamp: 'yesterday' }, { ...event(), type: 'screen' }] });
      const body = await apiError(response, 400, 'invalid_batch');
      const paths = body.issues!.map((i) => i.path.join('.'));
      expect(paths).toContain('batch.1.timestamp');
      expect(paths).toContain('batch.2.type');
      expect(body.message).toMatch(/batch\.1\.timestamp/);
      // The site is known and the origin allowed, so the page may read why.
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    });
  });

  describe('checks the origin against the site', () => {
    it('refuses another origin, without CORS headers', async () => {
      f = await fixture();
      const response = await collect(f.app, { siteKey: f.site.key, batch: [event()] }, { Origin: 'https://evil.test' });
      await apiError(response, 403, 'origin_not_allowed');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(rowCounts(f.file).events).toBe(0);
    });

    it('refuses a request without an Origin', async () => {
      f = await fixture();
      const response = await f.app.request('/collect', { method: 'POST', body: JSON.stringify({ siteKey: f.site.key, batch: [event()] }) });
      await apiError(response, 403, 'origin_not_allowed');
    });

    it('accepts any origin for a site that allows "*"', async () => {
      f = await fixture();
      const open = await f.store.createSite(f.workspace.id, ['*'], 0);
      const response = await collect(f.app, { siteKey: open.key, batch: [event()] }, { Origin: 'https://anywhere.test' });
      expect(response.status).toBe(202);
    });

    it("accepts the backend's own origin for the demo site only", async () => {
      f = await fixture();
      const demo = await f.store.createSite(f.workspace.id, ['https://elsewhere.test'], 0);
      await f.store.setSetting(DEMO_SITE_SETTING, demo.key);
      const own = { Origin: 'http://localhost' }; // app.request() serves http://localhost
      expect((await collect(f.app, { siteKey: demo.key, batch: [event()] }, own)).status).toBe(202);
      await apiError(await collect(f.app, { siteKey: f.site.key, batch: [event()] }, own), 403, 'origin_not_allowed');
    });
  });

  describe('rate limits', () => {
    it('limits each client address with a token bucket: 429 and Retry-After, then recovers', async () => {
      let now = 1_000_000;
      f = await fixture({ now: () => now, trustProxy: true, rateLimitPerIp: { perSecond: 1, burst: 2 } });
      const from = (ip: string) => collect(f.app, { siteKey: f.site.key, batch: [event()] }, { 'X-Forwarded-For': ip });
      expect((await from('10.0.0.1')).status).toBe(202);
      expect((await from('10.0.0.1')).status).toBe(202);
      const limited = await from('10.0.0.1');
      await apiError(limited, 429, 'rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await from('10.0.0.2')).status).toBe(202);
      now += 1_000;
      expect((await from('10.0.0.1')).status).toBe(202);
      expect(rowCounts(f.file).events).toBe(4);
    });

    it('limits each site', async () => {
      f = await fixture({ rateLimitPerSite: { perSecond: 0.5, burst: 1 } });
      expect((await collect(f.app, { siteKey: f.site.key, batch: [event()] })).status).toBe(202);
      const limited = await collect(f.app, { siteKey: f.site.key, batch: [event()] });
      await apiError(limited, 429, 'rate_limited');
      expect(limited.headers.get('retry-after')).toBe('2');
    });
  });
});
