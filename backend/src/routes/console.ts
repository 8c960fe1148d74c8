import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import type { ApiError } from '../../../shared/index';
import { cachedFile, notReady, sendAsset, type Asset } from './assets';

const CONSOLE = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

/**
 * Scripts and styles only from this origin, and no inline script: user-provided text that ever
 * reached the DOM as HTML still could not run. No framing (clickjacking), no plugins, no <base>.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names every built asset by its content hash: a file never changes under its name. */
const HASHED_CACHE = 'public, max-age=31536000, immutable';

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  woff2: 'font/woff2',
};

/** An asset name as Vite writes them (letters, digits, '-', '_', '.'); anything else is not ours. */
const ASSET_NAME = /^[\w-]+(?:\.[\w-]+)*\.(\w+)$/;

/** The console (console/, built into dist/console by `npm run build:console`) at /app. */
export function consoleRoutes(): Hono {
  const app = new Hono();
  const index = cachedFile(`${CONSOLE}index.html`);
  const assets = new Map<string, () => Promise<Asset | undefined>>();
  // Only names that exist stay in the map: requests for made-up names cannot grow it.
  const asset = async (name: string) => {
    const read = assets.get(name) ?? cachedFile(`${CONSOLE}assets/${name}`);
    const file = await read();
    if (file) assets.set(name, read);
    else assets.delete(name);
    return file;
  };

  app.get('/app', (c) => c.redirect('/app/'));
  app.get('/app/', async (c) => {
    const page = await index();
    if (!page) return notReady(c, 'console_not_built', 'dist/console does not exist: `npm start` builds it, or run `npm run build:console`');
    securePage(c);
    // no-store: a new build's index (naming new asset hashes) is what every visit gets.
    return sendAsset(c, page, 'text/html; charset=utf-8', 'no-store');
  });

  app.get('/app/assets/:name', async (c) => {
    const name = c.req.param('name');
    const type = TYPES[ASSET_NAME.exec(name)?.[1] ?? ''];
    const file = type ? await asset(name) : undefined;
    if (!type || !file) return c.json({ error: 'not_found', message: `no console asset ${name}` } satisfies ApiError, 404);
    return sendAsset(c, file, type, HASHED_CACHE);
  });

  return app;
}

function securePage(c: Context): void {
  c.header('Content-Security-Policy', CONSOLE_CSP);
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
}
