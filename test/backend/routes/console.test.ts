import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../../backend/src/routes/console';
import { fixture, type Fixture } from '../support/app';

/** The built console, as `npm start` serves it (built here once if this checkout has not built it yet). */
describe('GET /app (the console)', () => {
  let f: Fixture;
  beforeAll(async () => {
    if (!existsSync('dist/console/index.html')) execFileSync('npm', ['run', 'build:console', '--silent'], { stdio: 'ignore' });
    f = await fixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it('serves the page with a CSP that allows no inline script, never cached', async () => {
    expect((await f.app.request('/app')).headers.get('location')).toBe('/app/');
    const page = await f.app.request('/app/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toBe(CONSOLE_CSP);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    // Every script is a file from /app/assets: none inline for the CSP to refuse.
    expect(html.match(/<script\b[^>]*>/g)!.every((tag) => /src="\/app\/assets\//.test(tag))).toBe(true);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
  });

  it('serves hashed assets for a year, and nothing outside dist/console/assets', async () => {
    const [script] = readdirSync('dist/console/assets').filter((name) => name.endsWith('.js'));
    const asset = await f.app.request(`/app/assets/${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect((await f.app.request('/app/assets/..%2F..%2Fpackage.json')).status).toBe(404);
    expect((await f.app.request('/app/assets/missing-abc.js')).status).toBe(404);
  });
});
