import { Hono, type Context } from 'hono';
import { CollectBatch } from '../../../shared/index';
import type { AppConfig } from '../config';
import { Failure } from '../http/failure';
import { prepareEvents } from '../domain/events';
import { readBody } from '../http/body';
import { parseJsonText, parseWith } from '../http/errors';
import type { IngestGate } from '../http/ingest-gate';
import type { Store } from '../store/store';

function allowCors(c: Context, origin: string): void {
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Access-Control-Expose-Headers', 'Retry-After');
  c.header('Vary', 'Origin');
}

/**
 * The tracker's endpoint. The body is JSON sent as text/plain, so browsers send it without a
 * preflight; the page's Origin must be one the site allows. 202 means the batch is committed.
 */
export function collectRoutes(store: Store, config: AppConfig, gate: IngestGate): Hono {
  const app = new Hono();

  // Only for clients that send application/json; the tracker itself never preflights.
  app.options('/collect', (c) => {
    const origin = c.req.header('origin');
    if (origin) allowCors(c, origin);
    c.header('Access-Control-Allow-Methods', 'POST');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  });

  app.post('/collect', async (c) => {
    gate.limitClient(c);
    const json = parseJsonText(await readBody(c, config.ingestBodyLimit));
    const site = await gate.site((json as { siteKey?: unknown } | null)?.siteKey, ['siteKey']);
    const origin = c.req.header('origin');
    const allowed = site !== undefined && origin !== undefined && (await gate.originAllowed(c, site, origin));
    if (allowed) allowCors(c, origin);

    const batch = parseWith(CollectBatch, json, 'invalid_batch');
    if (!site) throw new Failure(400, 'unknown_site', 'no site has this siteKey');
    if (!origin) throw new Failure(403, 'origin_not_allowed', 'requests to /collect must carry the Origin of an allowed page');
    if (!allowed) throw new Failure(403, 'origin_not_allowed', `the origin ${origin.slice(0, 200)} is not allowed for this site`);
    gate.limitSite(site);

    const now = config.now();
    return c.json(await store.ingest(site, prepareEvents(batch.batch, now, batch.sentAt), now), 202);
  });

  return app;
}
