import { afterEach, describe, expect, it } from 'vitest';
import { WebhookCreated } from '../../../shared/index';
import { createApp } from '../../../backend/src/app';
import { PostgresStore } from '../../../backend/src/store/postgres/postgres-store';
import { WebhookDispatcher } from '../../../backend/src/webhooks/dispatcher';
import { hasPostgres } from '../../support/env';
import { jsonRequest, NOW } from '../support/app';
import { testSchema, type TestSchema } from '../support/postgres-schema';
import { WebhookReceiver } from '../support/webhook-receiver';

const LEADS = 25;

describe.runIf(await hasPostgres())('webhooks on PostgreSQL: two instances deliver each event once', () => {
  let schema: TestSchema;
  let receiver: WebhookReceiver;
  const stores: PostgresStore[] = [];
  afterEach(async () => {
    await receiver.close();
    for (const store of stores.splice(0)) await store.close();
    await schema.drop();
  });

  it('claims with FOR UPDATE SKIP LOCKED: every webhook-id arrives once, each lead in order', async () => {
    schema = testSchema();
    const [a, b] = [await PostgresStore.open(schema.url), await PostgresStore.open(schema.url)];
    stores.push(a!, b!);
    const workspace = await a!.createWorkspace('Acme', NOW);
    const admin = (await a!.createToken(workspace.id, 'admin', null, NOW)).secret;
    const app = createApp({ store: a!, config: { now: () => NOW, allowPrivateWebhooks: true } });

    receiver = new WebhookReceiver();
    const url = await receiver.listen();
    const created = await jsonRequest(app, 'POST', '/api/webhooks', admin, { url, events: ['lead.stage_changed', 'lead.outcome_recorded'] });
    receiver.secret = WebhookCreated.parse(await created.json()).secret;
    const leads: string[] = [];
    for (let i = 0; i < LEADS; i++) {
      const response = await jsonRequest(app, 'POST', '/api/leads', admin, { email: `lead${i}@acme.test` });
      leads.push(((await response.json()) as { id: string }).id);
    }
    for (const body of [{ stage: 'MQL' }, { stage: 'SQL' }, { outcome: 'won' }]) for (const id of leads) expect((await jsonRequest(app, 'PATCH', `/api/leads/${id}`, admin, body)).status).toBe(200);

    const clock = () => NOW;
    const dispatchers = [a!, b!].map((store) => new WebhookDispatcher(store, { allowPrivate: true, now: clock, batchSize: 7 }));
    const attempts = await Promise.all(dispatchers.map((d) => d.drain()));
    // Whichever instance found nothing due left it to the other; together they tried each delivery once.
    const messages = await schema.query<{ message_id: string; lead_id: string }>('select message_id, lead_id from webhook_messages order by id');
    expect(attempts[0]! + attempts[1]!).toBe(messages.length);
    expect(attempts.every((n) => n > 0)).toBe(true);
    expect(receiver.unverified).toBe(0);
    expect(receiver.received).toHaveLength(messages.length);
    expect(receiver.uniqueIds().length).toBe(messages.length);
    for (const lead of leads) {
      const written = messages.filter((m) => m.lead_id === lead).map((m) => m.message_id);
      expect(receiver.received.filter((r) => 'lead' in r.payload.data && r.payload.data.lead.id === lead).map((r) => r.id)).toEqual(written);
    }
  });
});
