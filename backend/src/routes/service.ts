import { Hono } from 'hono';
import type { AppConfig } from '../config';
import { docsPage } from '../openapi/docs-page';
import { openApiDocument } from '../openapi/document';
import type { Store } from '../store/store';

/** Health, the OpenAPI document and the docs page. */
export function serviceRoutes(store: Store, config: AppConfig): Hono {
  const app = new Hono();
  let openapi: string | undefined;
  let docs: string | undefined;

  app.get('/healthz', async (c) => {
    await store.getSetting('health');
    return c.json({ status: 'ok' });
  });
  app.get('/openapi.json', (c) => {
    openapi ??= JSON.stringify(openApiDocument(config.publicUrl));
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(openapi);
  });
  app.get('/docs', (c) => c.html((docs ??= docsPage())));
  app.get('/', (c) => c.redirect('/docs'));
  return app;
}
