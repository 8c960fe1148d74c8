import { Hono } from 'hono';
import { ScoringModel, type ChallengerResponse } from '../../../shared/index';
import type { AppConfig } from '../config';
import { Failure } from '../http/failure';
import { requireAdmin, type AuthEnv } from '../http/auth';
import { readJson } from '../http/errors';
import { toJob } from '../jobs/present-job';
import type { ChallengerRecord, JobRecord, Store } from '../store/store';

const noChallenger = () => new Failure(404, 'no_challenger', 'the workspace has no challenger model (PUT /api/model/challenger sets one)');

function toChallenger(challenger: ChallengerRecord, job: JobRecord | null): ChallengerResponse {
  return { model: challenger.model, startedAt: new Date(challenger.startedAt).toISOString(), createdBy: challenger.createdBy, job: job && toJob(job) };
}

/**
 * /api/model/challenger, admin only: champion / challenger. The challenger's shadow scores are for
 * the challenger report, never for badges, so reps see neither them nor the challenger.
 */
export function challengerRoutes(store: Store, config: AppConfig): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use('*', requireAdmin);

  app.get('/', async (c) => {
    const found = await store.getChallenger(c.get('token').workspaceId);
    if (!found) throw noChallenger();
    return c.json(toChallenger(found.challenger, found.job));
  });

  // 202: the challenger is stored with the job that scores every lead under it; a job runner does the rest.
  app.put('/', async (c) => {
    const model = await readJson(c, ScoringModel, config.apiBodyLimit, 'invalid_model');
    const { workspaceId } = c.get('token');
    const { challenger, job } = await store.setChallenger(workspaceId, model, c.get('actor'), config.now());
    config.logger.info('challenger set', { workspaceId, challenger: challenger.id, job: job.id });
    config.jobQueued();
    c.header('Location', `/api/jobs/${job.id}`);
    return c.json(toChallenger(challenger, job), 202);
  });

  app.delete('/', async (c) => {
    const { workspaceId } = c.get('token');
    if (!(await store.stopChallenger(workspaceId, config.now()))) throw noChallenger();
    config.logger.info('challenger stopped', { workspaceId });
    return c.body(null, 204);
  });

  // 202 as PUT /api/model: the challenger becomes the next model version, rescored by its job.
  app.post('/promote', async (c) => {
    const { workspaceId } = c.get('token');
    const promoted = await store.promoteChallenger(workspaceId, c.get('actor'), config.now());
    if (!promoted) throw noChallenger();
    config.logger.info('challenger promoted', { workspaceId, version: promoted.model.version, job: promoted.job.id });
    config.jobQueued();
    c.header('Location', `/api/jobs/${promoted.job.id}`);
    return c.json({ model: promoted.model, job: toJob(promoted.job) }, 202);
  });

  return app;
}
