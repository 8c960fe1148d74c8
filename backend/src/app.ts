import { Hono } from 'hono';
import { appConfig, type AppConfig } from './config';
import { errorHandler, notFound } from './http/errors';
import { IngestGate } from './http/ingest-gate';
import { overloadGuard } from './http/overload';
import { apiRoutes } from './routes/api';
import { assetRoutes } from './routes/assets';
import { collectRoutes } from './routes/collect';
import { consoleRoutes } from './routes/console';
import { emailRoutes } from './routes/email';
import { segmentRoutes } from './routes/segment';
import { serviceRoutes } from './routes/service';
import type { Store } from './store/store';

/** A request slower than this is logged at warn, whatever it was. */
export const SLOW_REQUEST_MS = 1_000;
const INGEST_PATH = /^\/(collect|v1\/|email\/)/;

/**
 * Accepted ingest requests (thousands a second) are logged at debug, so the hot path writes no
 * line by default; refusals (4xx) at info; failures (5xx) and slow requests at warn; the rest
 * (the rep and admin API) at info.
 */
export function requestLogLevel(path: string, status: number, ms: number): 'debug' | 'info' | 'warn' {
  if (status >= 500 || ms >= SLOW_REQUEST_MS) return 'warn';
  if (status >= 400) return 'info';
  return INGEST_PATH.test(path) ? 'debug' : 'info';
}

/** The setting that names the site /demo reports to (created on first start). */
export const DEMO_SITE_SETTING = 'demo_site_key';

/** The whole HTTP API as one Hono app; tests call `app.request()`, the server serves `app.fetch`. */
export function createApp({ store, config: overrides }: { store: Store; config?: Partial<AppConfig> }): Hono {
  const config = appConfig(overrides);
  let demoSiteKey: string | undefined;
  const demoSite = async () => (demoSiteKey ??= await store.getSetting(DEMO_SITE_SETTING));
  const gate = new IngestGate(store, config, demoSite);

  const app = new Hono();
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    config.logger[requestLogLevel(c.req.path, c.res.status, ms)]('request', { method: c.req.method, path: c.req.path, status: c.res.status, ms });
  });
  const shed = overloadGuard(config.maxPendingIngest);
  for (const path of ['/collect', '/v1/*', '/email/*']) app.use(path, shed);
  app.onError(errorHandler(config.logger));
  app.notFound(notFound);

  app.route('/', serviceRoutes(store, config));
  app.route('/', collectRoutes(store, config, gate));
  app.route('/v1', segmentRoutes(store, config, gate));
  app.route('/email', emailRoutes(store, config, gate));
  app.route('/api', apiRoutes(store, config));
  app.route('/', assetRoutes({ demoSiteKey: demoSite }));
  app.route('/', consoleRoutes());
  return app;
}
