import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { EMAIL_PATTERN, EventName, MAX_EMAIL_LENGTH, type TrackedEvent } from '../../../shared/index';
import type { AppConfig } from '../config';
import { verifyEmailLink } from '../domain/email-links';
import { Failure } from '../domain/errors';
import { prepareEvents } from '../domain/events';
import { parseWith } from '../http/errors';
import type { IngestGate } from '../http/ingest-gate';
import type { Site, Store } from '../store/store';

const OpenQuery = z.object({
  s: z.string().min(1).max(100),
  e: z.email({ pattern: EMAIL_PATTERN }).max(MAX_EMAIL_LENGTH),
  c: z.string().min(1).max(200).optional(),
  sig: z.string().min(1).max(100),
});
const ClickQuery = OpenQuery.extend({ u: z.url({ protocol: /^https?$/ }).max(2_048) });

/** The smallest transparent GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * Email engagement: an open pixel and a click redirect. Both are signed with the workspace's
 * secret (see `npm run leadscore -- email-link`); a link whose signature does not match every
 * parameter is refused, so the redirect can never be pointed anywhere else.
 */
export function emailRoutes(store: Store, config: AppConfig, gate: IngestGate): Hono {
  const app = new Hono();

  async function verified(c: Context, kind: 'open' | 'click', q: z.infer<typeof OpenQuery>, url?: string): Promise<Site> {
    const site = await gate.site(q.s);
    const valid = site && verifyEmailLink(await store.linkSecret(site.workspaceId), kind, { siteKey: q.s, email: q.e, campaign: q.c }, q.sig, url);
    if (!site || !valid) throw new Failure(400, 'bad_signature', 'this link is not signed by this backend');
    gate.limitSite(site);
    return site;
  }

  async function record(site: Site, email: string, event: string, properties: Record<string, string>) {
    const now = config.now();
    const tracked: TrackedEvent = { type: 'track', messageId: randomUUID(), timestamp: new Date(now).toISOString(), userId: email, event, properties };
    await store.ingest(site, prepareEvents([tracked], now), now);
  }

  app.get('/open', async (c) => {
    gate.limitClient(c);
    const q = parseWith(OpenQuery, c.req.query(), 'invalid_link');
    const site = await verified(c, 'open', q);
    await record(site, q.e, EventName.emailOpened, q.c ? { campaign: q.c } : {});
    c.header('Cache-Control', 'no-store, max-age=0');
    c.header('Content-Type', 'image/gif');
    return c.body(PIXEL, 200);
  });

  app.get('/click', async (c) => {
    gate.limitClient(c);
    const q = parseWith(ClickQuery, c.req.query(), 'invalid_link');
    const site = await verified(c, 'click', q, q.u);
    await record(site, q.e, EventName.emailLinkClicked, { url: q.u, ...(q.c ? { campaign: q.c } : {}) });
    c.header('Cache-Control', 'no-store');
    return c.redirect(q.u, 302);
  });

  return app;
}
