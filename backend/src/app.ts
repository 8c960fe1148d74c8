import { Hono } from 'hono';
import { appConfig, type AppConfig } from './config';
import { errorHandler, notFound } from './http/errors';
import { IngestGate } from './http/ingest-gate';
import { apiRoutes } from './routes/api';
import { assetRoutes } from './routes/assets';
import { collectRoutes } from './routes/collect';
import { consoleRoutes } from './routes/console';
import { emailRoutes } from './routes/email';
import { segmentRoutes } from './routes/segment';
import { serviceRoutes } from './routes/service';
import type { Store } from './store/store';

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
    config.logger.info('request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 10) / 10 });
  });
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
