import { Hono } from 'hono';
import { API_VERSION, ScoringModel, type ModelCheckResponse } from '../../../shared/index';
import type { AppConfig } from '../config';
import { Failure } from '../http/failure';
import { apiAuth, requireAdmin, type AuthEnv } from '../http/auth';
import { readJson } from '../http/errors';
import type { Store } from '../store/store';
import { csvRoutes } from './csv';
import { leadRoutes } from './leads';
import { modelRoutes } from './models';
import { accountRoutes } from './accounts';
import { reportRoutes } from './reports';
import { challengerRoutes } from './challenger';
import { sessionRoutes } from './session';
import { settingsRoutes } from './settings';
import { toJob } from '../jobs/present-job';
import { webhookRoutes } from './webhooks';

/** The rep and admin API: bearer tokens (or the console's session), scoped to the token's workspace. */
export function apiRoutes(store: Store, config: AppConfig): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  // Sign-in takes its token in the body, so it comes before the authentication every other route needs.
  app.route('/session', sessionRoutes(store, config));
  app.use('*', apiAuth(store, config));

  app.get('/me', async (c) => {
    const token = c.get('token');
    const workspace = await store.getWorkspace(token.workspaceId);
    if (!workspace) throw new Failure(401, 'invalid_token', 'the token belongs to a workspace that no longer exists');
    return c.json({ apiVersion: API_VERSION, workspace: { id: workspace.id, name: workspace.name }, role: token.role, token: { id: token.id, label: token.label } });
  });

  app.get('/model', async (c) => c.json((await store.currentModel(c.get('token').workspaceId)).model));

  // 202: the model is stored with the job that rescores every lead, in one transaction; a job runner does the rest.
  app.put('/model', requireAdmin, async (c) => {
    const model = await readJson(c, ScoringModel, config.apiBodyLimit, 'invalid_model');
    const { workspaceId } = c.get('token');
    const { model: stored, job } = await store.putModel(workspaceId, model, c.get('actor'), config.now());
    config.logger.info('model updated', { workspaceId, version: stored.version, job: job.id });
    config.jobQueued();
    c.header('Location', `/api/jobs/${job.id}`);
    return c.json({ model: stored, job: toJob(job) }, 202);
  });

  // A dry run of PUT /api/model: the same validation, nothing stored. The console checks a draft with it
  // (it does not load zod), and a field-by-field 400 beats the backtest's "one of the model forms" error.
  app.post('/model/check', requireAdmin, async (c) => {
    const model = await readJson(c, ScoringModel, config.apiBodyLimit, 'invalid_model');
    return c.json({ valid: true, model } satisfies ModelCheckResponse);
  });

  app.route('/model/challenger', challengerRoutes(store, config));

  app.get('/jobs/:id', async (c) => {
    const job = await store.getJob(c.get('token').workspaceId, c.req.param('id'));
    if (!job) throw new Failure(404, 'not_found', 'no such job in this workspace');
    return c.json(toJob(job));
  });

  // Before the lead routes: /leads/export.csv is not a lead id.
  app.route('/', csvRoutes(store, config));
  app.route('/leads', leadRoutes(store, config));
  app.route('/reports', reportRoutes(store, config));
  app.route('/accounts', accountRoutes(store, config));
  app.route('/models', modelRoutes(store, config));
  app.route('/webhooks', webhookRoutes(store, config));
  app.route('/', settingsRoutes(store, config));
  return app;
}
