import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { MAX_DELIVERY_PAGE, NewWebhook, RotateWebhookSecret } from '../../../shared/index';
import type { AppConfig } from '../config';
import { requireAdmin, type AuthEnv } from '../http/auth';
import { parseJsonText, parseWith, readJson, requireStorable } from '../http/errors';
import { readBody } from '../http/body';
import { Failure } from '../http/failure';
import type { Store } from '../store/store';
import { urlProblem } from '../webhooks/address-policy';
import { toDelivery, toWebhook } from '../webhooks/present-webhook';

const DeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_DELIVERY_PAGE).default(50),
  before: z.coerce.number().int().min(1).optional(),
});
const DeliveryId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** Webhook endpoints (admin only): create (the secret is shown once), list, remove, the delivery log and replay. */
export function webhookRoutes(store: Store, config: AppConfig): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use('*', requireAdmin);

  const endpointOf = async (c: Context<AuthEnv>) => {
    const endpoint = await store.webhooks.getEndpoint(c.get('token').workspaceId, requireStorable(c.req.param('id')!, ['id']));
    if (!endpoint) throw new Failure(404, 'not_found', 'no webhook with this id in this workspace');
    return endpoint;
  };

  app.post('/', async (c) => {
    const body = await readJson(c, NewWebhook, config.apiBodyLimit, 'invalid_webhook');
    requireStorable(body.url, ['url']);
    const problem = await urlProblem(body.url, config.allowPrivateWebhooks);
    if (problem) throw new Failure(400, 'webhook_url_refused', problem, [{ path: ['url'], message: problem }]);
    const { workspaceId } = c.get('token');
    const { endpoint, secret } = await store.webhooks.createEndpoint(workspaceId, body.url, body.events, config.now());
    config.logger.info('webhook created', { workspaceId, webhook: endpoint.id, events: endpoint.events });
    c.header('Location', `/api/webhooks/${endpoint.id}`);
    return c.json({ ...toWebhook(endpoint), secret }, 201);
  });

  app.get('/', async (c) => c.json({ webhooks: (await store.webhooks.listEndpoints(c.get('token').workspaceId)).map(toWebhook) }));

  app.delete('/:id', async (c) => {
    const endpoint = await endpointOf(c);
    await store.webhooks.removeEndpoint(endpoint.workspaceId, endpoint.id);
    config.logger.info('webhook removed', { workspaceId: endpoint.workspaceId, webhook: endpoint.id });
    return c.body(null, 204);
  });

  app.post('/:id/rotate-secret', async (c) => {
    const endpoint = await endpointOf(c);
    // The body may be left out: the defaults then.
    const text = (await readBody(c, config.apiBodyLimit)).trim();
    const body = parseWith(RotateWebhookSecret, text === '' ? {} : parseJsonText(text), 'invalid_rotation');
    const rotated = await store.webhooks.rotateSecret(endpoint.workspaceId, endpoint.id, body.keepPreviousForHours * 3_600_000, config.now());
    if (!rotated) throw new Failure(404, 'not_found', 'no webhook with this id in this workspace');
    config.logger.info('webhook secret rotated', { workspaceId: endpoint.workspaceId, webhook: endpoint.id, keepPreviousForHours: body.keepPreviousForHours });
    return c.json({ ...toWebhook(rotated.endpoint), secret: rotated.secret });
  });

  app.get('/:id/deliveries', async (c) => {
    const endpoint = await endpointOf(c);
    const query = parseWith(DeliveriesQuery, c.req.query(), 'invalid_query');
    return c.json({ deliveries: (await store.webhooks.deliveries(endpoint.id, query.limit, query.before)).map(toDelivery) });
  });

  app.post('/:id/deliveries/:deliveryId/replay', async (c) => {
    const endpoint = await endpointOf(c);
    if (endpoint.disabledAt !== null) throw new Failure(409, 'webhook_disabled', `the webhook is disabled (${endpoint.disabledReason}): create a new one to receive events again`);
    const id = DeliveryId.safeParse(c.req.param('deliveryId'));
    const replayed = id.success ? await store.webhooks.replay(endpoint.id, id.data, config.now()) : undefined;
    if (!replayed) throw new Failure(404, 'not_found', 'no delivery with this id for this webhook');
    return c.json(toDelivery(replayed), 202);
  });
  return app;
}
