import { Hono } from 'hono';
import { NewToken, SiteOrigins, type CreatedToken, type SitesResponse, type SiteView, type TokensResponse, type TokenView } from '../../../shared/index';
import type { AppConfig } from '../config';
import { requireAdmin, type AuthEnv } from '../http/auth';
import { readJson, requireStorable } from '../http/errors';
import { Failure } from '../http/failure';
import type { Site, Store, TokenInfo } from '../store/store';

const iso = (ms: number) => new Date(ms).toISOString();
const siteView = (site: Site): SiteView => ({ key: site.key, origins: site.origins, createdAt: iso(site.createdAt) });
const tokenView = (t: TokenInfo): TokenView => ({ id: t.id, role: t.role, label: t.label, createdAt: iso(t.createdAt), revokedAt: t.revokedAt === null ? null : iso(t.revokedAt) });

/** The workspace's sites and tokens (what the CLI manages), for the console's settings. Admin only. */
export function settingsRoutes(store: Store, config: AppConfig): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  // requireAdmin per route: this app is mounted at the API's root, where a '*' middleware would reach every route.
  app.get('/sites', requireAdmin, async (c) => c.json({ sites: (await store.listSites(c.get('token').workspaceId)).map(siteView) } satisfies SitesResponse));

  app.post('/sites', requireAdmin, async (c) => {
    const { origins } = await readJson(c, SiteOrigins, config.apiBodyLimit);
    const site = await store.createSite(c.get('token').workspaceId, origins, config.now());
    return c.json(siteView(site), 201);
  });

  app.post('/sites/:key/origins', requireAdmin, async (c) => {
    const key = requireStorable(c.req.param('key'), ['key']);
    const { origins } = await readJson(c, SiteOrigins, config.apiBodyLimit);
    // A key from another workspace behaves as one that does not exist.
    const existing = await store.findSiteByKey(key);
    if (!existing || existing.workspaceId !== c.get('token').workspaceId) throw new Failure(404, 'not_found', 'no site with this key');
    return c.json(siteView((await store.addSiteOrigins(key, origins))!));
  });

  app.get('/tokens', requireAdmin, async (c) => c.json({ tokens: (await store.listTokens(c.get('token').workspaceId)).map(tokenView) } satisfies TokensResponse));

  app.post('/tokens', requireAdmin, async (c) => {
    const { role, label } = await readJson(c, NewToken, config.apiBodyLimit);
    const { token, secret } = await store.createToken(c.get('token').workspaceId, role, label, config.now());
    c.header('Cache-Control', 'no-store');
    return c.json({ ...tokenView(token), token: secret } satisfies CreatedToken, 201);
  });

  app.delete('/tokens/:id', requireAdmin, async (c) => {
    const id = requireStorable(c.req.param('id'), ['id']);
    const tokens = await store.listTokens(c.get('token').workspaceId);
    if (!tokens.some((t) => t.id === id)) throw new Failure(404, 'not_found', 'no token with this id');
    await store.revokeToken(id, config.now());
    return c.json(tokenView((await store.listTokens(c.get('token').workspaceId)).find((t) => t.id === id)!));
  });

  return app;
}
