import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Hono, type Context } from 'hono';
import type { ApiError } from '../../../shared/index';

const TRACKER = fileURLToPath(new URL('../../../dist/tracker/t.js', import.meta.url));
const DEMO = fileURLToPath(new URL('../../demo/', import.meta.url));

/**
 * Browsers and CDNs may reuse the script for an hour without asking, then revalidate with the
 * ETag (a 304 costs a few bytes); a new build reaches every visitor within the hour.
 */
const TRACKER_CACHE = 'public, max-age=3600, stale-while-revalidate=86400';

export interface Asset {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  /** Size and mtime of the file it was read from: a rebuild is picked up without a restart. */
  version: string;
}

/** A file read once, gzipped once, and re-read only when it changes on disk. */
export function cachedFile(path: string): () => Promise<Asset | undefined> {
  let asset: Asset | undefined;
  return async () => {
    const info = await stat(path).catch(() => undefined);
    if (!info) return undefined;
    const version = `${info.size}-${info.mtimeMs}`;
    if (asset?.version !== version) {
      const body = await readFile(path);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      asset = { body, gzipped: gzipSync(body, { level: 9 }), etag, version };
    }
    return asset;
  };
}

export function sendAsset(c: Context, asset: Asset, type: string, cache: string): Response {
  c.header('Content-Type', type);
  c.header('Cache-Control', cache);
  c.header('ETag', asset.etag);
  c.header('Vary', 'Accept-Encoding');
  c.header('X-Content-Type-Options', 'nosniff');
  if (c.req.header('if-none-match')?.split(/\s*,\s*/).includes(asset.etag)) return c.body(null, 304);
  if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    c.header('Content-Encoding', 'gzip');
    return c.body(new Uint8Array(asset.gzipped));
  }
  return c.body(new Uint8Array(asset.body));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * What every demo page carries in its <head>: the queue stub, then the tracker for the demo
 * site. data-localhost because `npm start` serves the demo on localhost.
 */
export function demoSnippet(siteKey: string): string {
  return [
    '<script>window.leadscore=window.leadscore||function(){(leadscore.q=leadscore.q||[]).push(arguments)}</script>',
    `<script defer src="/t.js" data-site="${escapeHtml(siteKey)}" data-localhost></script>`,
  ].join('\n');
}

/** The demo's pages: a path under /demo and the fragment of backend/demo/ it shows. */
const DEMO_PAGES: Record<string, { file: string; title: string }> = {
  '': { file: 'home.html', title: 'Lead scoring that reps trust' },
  pricing: { file: 'pricing.html', title: 'Pricing' },
  careers: { file: 'careers.html', title: 'Careers' },
  webinar: { file: 'webinar.html', title: 'Webinar: scoring leads that convert' },
  'request-demo': { file: 'request-demo.html', title: 'Request a demo' },
};

const DEMO_FILES: Record<string, string> = {
  'demo.css': 'text/css; charset=utf-8',
  'lead-scoring-guide.pdf': 'application/pdf',
};

export function notReady(c: Context, error: string, message: string): Response {
  return c.json({ error, message } satisfies ApiError, 503);
}

/**
 * GET /t.js (the tracker, with caching headers and CORS so any site can load it) and the demo
 * product site under /demo, whose pages report to the demo site.
 */
export function assetRoutes(options: { demoSiteKey: () => Promise<string | undefined> }): Hono {
  const app = new Hono();
  const tracker = cachedFile(TRACKER);
  const layout = cachedFile(`${DEMO}layout.html`);
  const fragments = new Map(Object.values(DEMO_PAGES).map(({ file }) => [file, cachedFile(`${DEMO}${file}`)]));
  const files = new Map(Object.keys(DEMO_FILES).map((name) => [name, cachedFile(`${DEMO}${name}`)]));

  app.get('/t.js', async (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    const asset = await tracker();
    if (!asset) return notReady(c, 'tracker_not_built', 'dist/tracker/t.js does not exist: `npm start` builds it, or run `npm run build:served`');
    return sendAsset(c, asset, 'text/javascript; charset=utf-8', TRACKER_CACHE);
  });

  app.get('/demo', (c) => c.redirect('/demo/'));
  app.get('/demo/:name{.*}', async (c) => {
    const name = c.req.param('name');
    const type = DEMO_FILES[name];
    if (type) {
      const file = (await files.get(name)!())!;
      return sendAsset(c, file, type, 'public, max-age=300');
    }
    const page = DEMO_PAGES[name];
    if (!page) return c.json({ error: 'not_found', message: `no demo page ${name}` } satisfies ApiError, 404);
    const siteKey = await options.demoSiteKey();
    if (!siteKey) return notReady(c, 'demo_not_ready', 'the demo site is created when `npm start` first runs on an empty database');
    const [shell, content] = await Promise.all([layout(), fragments.get(page.file)!()]);
    const html = shell!.body
      .toString('utf8')
      .replace('{{title}}', () => escapeHtml(page.title))
      .replace('{{tracker}}', () => demoSnippet(siteKey))
      .replace('{{content}}', () => content!.body.toString('utf8'));
    c.header('Cache-Control', 'no-store');
    return c.html(html);
  });

  return app;
}
