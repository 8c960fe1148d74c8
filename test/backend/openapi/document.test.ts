import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITE_SETTING } from '../../../backend/src/app';
import { OPERATIONS } from '../../../backend/src/openapi/operations';
import { fixture, type Fixture } from '../support/app';

describe('GET /openapi.json and /docs', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture({ publicUrl: 'https://leadscore.example.com' });
  });
  afterAll(async () => {
    await f.close();
  });

  it('describes every route with its schemas, security and errors', async () => {
    const doc = (await (await f.app.request('/openapi.json')).json()) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> }; responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>; security: unknown[] }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: 'https://leadscore.example.com' }]);
    for (const op of OPERATIONS) {
      const described = doc.paths[op.path]?.[op.method];
      expect(described, `${op.method} ${op.path}`).toBeDefined();
      expect(Object.keys(described!.responses)).toEqual(expect.arrayContaining([String(op.response.status), ...op.errors.map(String)]));
      // A CSV body (POST /api/import) is a file, not a JSON object.
      if (op.body && op.body.contentType !== 'text/csv') expect(Object.values(described!.requestBody!.content)[0]!.schema.properties).toBeDefined();
    }
    const lookup = doc.paths['/api/leads']!.get!.responses['200']!.content!['application/json']!.schema;
    expect(JSON.stringify(lookup)).toContain('"milestones"');
    expect(doc.paths['/api/leads/{id}']!.delete!.security).toEqual([{ bearer: [] }]);
    expect(JSON.stringify(doc)).not.toContain('$defs');
  });

  it('documents every API route the app serves', () => {
    const documented = new Set(OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`));
    // Pages and the tracker script, not API operations; CORS preflight answers itself.
    const pages = new Set(['GET /', 'GET /docs', 'GET /t.js', 'GET /demo', 'GET /demo/:name{.*}', 'OPTIONS /collect', 'GET /app', 'GET /app/', 'GET /app/assets/:name']);
    const served = f.app.routes
      .filter((route) => route.method !== 'ALL')
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => !pages.has(route))
      .flatMap(expandAlternatives)
      .map((route) => route.replace(/:(\w+)/g, '{$1}'));
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('routes every documented operation', async () => {
    for (const op of OPERATIONS) {
      const response = await f.app.request(op.path.replace('{id}', 'ld_missing'), { method: op.method.toUpperCase() });
      const body = response.headers.get('content-type')?.includes('json') ? ((await response.json()) as { message?: string }) : {};
      expect(body.message ?? '', `${op.method} ${op.path}`).not.toMatch(/^no route/);
    }
  });

  it('serves a readable, script-free page listing every route', async () => {
    const response = await f.app.request('/docs');
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    for (const op of OPERATIONS) expect(html).toContain(op.path);
    expect(html).not.toContain('<script');
    expect((await f.app.request('/')).headers.get('location')).toBe('/docs');
  });

  it('mounts the tracker script and the demo site, which reports to the demo site key', async () => {
    await f.store.setSetting(DEMO_SITE_SETTING, f.site.key);
    const demo = await f.app.request('/demo/pricing');
    expect(demo.status).toBe(200);
    expect(await demo.text()).toContain(`data-site="${f.site.key}"`);
    // 200 once `npm run build:tracker` has run, 503 with a reason before.
    const tracker = await f.app.request('/t.js');
    expect([200, 503]).toContain(tracker.status);
    if (tracker.status === 503) expect(((await tracker.json()) as { error: string }).error).toBe('tracker_not_built');
  });

  it('answers unknown routes with the ApiError shape', async () => {
    const response = await f.app.request('/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found', message: 'no route for GET /nope' });
  });
});

/** `POST /v1/:type{track|identify}` -> `POST /v1/track`, `POST /v1/identify`. */
function expandAlternatives(route: string): string[] {
  const match = /:\w+\{([\w|]+)\}/.exec(route);
  return match ? match[1]!.split('|').map((value) => route.replace(match[0], value)) : [route];
}
