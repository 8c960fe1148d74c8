import { Hono } from 'hono';
import { API_VERSION, ScoringModel } from '../../../shared/index';
import type { AppConfig } from '../config';
import { Failure } from '../http/failure';
import { bearerAuth, requireAdmin, type AuthEnv } from '../http/auth';
import { readJson } from '../http/errors';
import type { Store } from '../store/store';
import { leadRoutes } from './leads';

/** The rep and admin API: bearer tokens, scoped to the token's workspace. */
export function apiRoutes(store: Store, config: AppConfig): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use('*', bearerAuth(store));

  app.get('/me', async (c) => {
    const token = c.get('token');
    const workspace = await store.getWorkspace(token.workspaceId);
    if (!workspace) throw new Failure(401, 'invalid_token', 'the token belongs to a workspace that no longer exists');
    return c.json({ apiVersion: API_VERSION, workspace: { id: workspace.id, name: workspace.name }, role: token.role, token: { id: token.id, label: token.label } });
  });

  app.get('/model', async (c) => c.json((await store.currentModel(c.get('token').workspaceId)).model));

  app.put('/model', requireAdmin, async (c) => {
    const model = await readJson(c, ScoringModel, config.apiBodyLimit, 'invalid_model');
    const started = performance.now();
    const result = await store.putModel(c.get('token').workspaceId, model, c.get('actor'), config.now());
    const ms = Math.round(performance.now() - started);
    config.logger.info('model updated', { workspaceId: c.get('token').workspaceId, version: result.model.version, rescored: result.rescored, ms });
    return c.json({ ...result, ms });
  });

  app.route('/leads', leadRoutes(store, config));
  return app;
}
