import { Hono } from 'hono';
import { LearnRequest } from '../../../shared/index';
import type { AppConfig } from '../config';
import { requireAdmin, type AuthEnv } from '../http/auth';
import { readJson } from '../http/errors';
import { learnModel } from '../learn/learn';
import type { Store } from '../store/store';

/**
 * POST /api/models/learn (admin): fits a points model on the workspace's outcomes and answers
 * with it and its held-out report. Nothing is stored: the admin adopts the model with
 * PUT /api/model, or tries it first as the challenger.
 */
export function modelRoutes(store: Store, config: AppConfig): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.post('/learn', requireAdmin, async (c) => {
    const request = await readJson(c, LearnRequest, config.apiBodyLimit, 'invalid_learn_request');
    return c.json(await learnModel(store, c.get('token').workspaceId, request, config.now()));
  });
  return app;
}
