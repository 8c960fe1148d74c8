import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assetRoutes, demoSnippet } from '../../backend/src/routes/assets';

// `npm test` builds the tracker before vitest runs; these routes serve that build.
const built = readFileSync(new URL('../../dist/tracker/t.js', import.meta.url), 'utf8');
const app = assetRoutes({ demoSiteKey: async () => 'pk_demo"<key>' });

describe('GET /t.js', () => {
  it('serves the built tracker as JavaScript, cacheable for an hour, to any origin', async () => {
    const res = await app.request('/t.js', { headers: { Origin: 'https://www.customer.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toMatch(/max-age=3600/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(built);
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const etag = (await app.request('/t.js')).headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const again = await app.request('/t.js', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await app.request('/t.js', { headers: { 'If-None-Match': '"stale"' } })).status).toBe(200);
  });

  it('sends it gzipped to clients that accept gzip', async () => {
    const res = await app.request('/t.js', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8')).toBe(built);
  });
});

describe('the demo site', () => {
  it('serves every page with the queue stub and the tracker for the demo site (key escaped)', async () => {
    expect((await app.request('/demo')).headers.get('location')).toBe('/demo/');
    for (const path of ['/demo/', '/demo/pricing', '/demo/careers', '/demo/webinar', '/demo/request-demo']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html).toContain(demoSnippet('pk_demo"<key>'));
      expect(html).toContain('data-site="pk_demo&#34;&#60;key&#62;"');
      expect(html).toContain('(leadscore.q=leadscore.q||[]).push(arguments)');
      expect(html).not.toContain('{{');
    }
  });

  it('has a webinar form and a demo-request form that send their business events, a PDF and an outbound link', async () => {
    const webinar = await (await app.request('/demo/webinar')).text();
    expect(webinar).toMatch(/<input type="email"/);
    expect(webinar).toContain("leadscore('track', 'Webinar Registered'");
    expect(await (await app.request('/demo/request-demo')).text()).toContain("leadscore('track', 'Demo Requested')");
    const home = await (await app.request('/demo/')).text();
    expect(home).toContain('href="/demo/lead-scoring-guide.pdf"');
    expect(home).toMatch(/href="https:\/\/(?!localhost)/);

    const pdf = await app.request('/demo/lead-scoring-guide.pdf');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
    expect(bytes.startsWith('%PDF-1.4')).toBe(true);
    // The cross-reference table points at real objects: the file opens in any viewer.
    const xref = Number(/startxref\n(\d+)/.exec(bytes)![1]);
    expect(bytes.slice(xref, xref + 4)).toBe('xref');
    for (const [i, offset] of [...bytes.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].entries()) {
      expect(bytes.slice(Number(offset[1])).startsWith(`${i + 1} 0 obj\n`)).toBe(true);
    }
  });

  it('answers unknown demo pages with a JSON 404, and says clearly when the demo site does not exist yet', async () => {
    const missing = await app.request('/demo/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });

    const empty = assetRoutes({ demoSiteKey: async () => undefined });
    const res = await empty.request('/demo/');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'demo_not_ready' });
  });
});
