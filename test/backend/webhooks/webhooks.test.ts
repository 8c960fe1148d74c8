import { afterEach, describe, expect, it } from 'vitest';
import { compileModel, DEFAULT_MODEL, WEBHOOK_EVENT_TYPES, WebhookCreated, WebhookDeliveryList, WebhookList, type Webhook as WebhookView, type WebhookEventType } from '../../../shared/index';
import { WebhookDispatcher } from '../../../backend/src/webhooks/dispatcher';
import { saveLead } from '../../../backend/src/store/leads/lead-rows';
import { getLead } from '../../../backend/src/store/leads/read-leads';
import type { Db } from '../../../backend/src/store/sql/schema';
import { apiError, jsonRequest, NOW, openFixture, type AppFixture, type StoreKind } from '../support/app';
import { hasPostgres } from '../../support/env';
import type { AppConfig } from '../../../backend/src/config';
import { freePort, WebhookReceiver } from '../support/webhook-receiver';

const HOUR = 3_600_000;

let f: AppFixture;
let receiver: WebhookReceiver;
afterEach(async () => {
  await receiver?.close();
  await f?.close();
});

async function addWebhook(url: string, events: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES): Promise<WebhookCreated> {
  const response = await jsonRequest(f.app, 'POST', '/api/webhooks', f.adminToken, { url, events });
  expect(response.status).toBe(201);
  return WebhookCreated.parse(await response.json());
}

async function newLead(email: string): Promise<string> {
  const response = await jsonRequest(f.app, 'POST', '/api/leads', f.repToken, { email });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function patch(id: string, body: object): Promise<void> {
  expect((await jsonRequest(f.app, 'PATCH', `/api/leads/${id}`, f.repToken, body)).status).toBe(200);
}

async function deliveries(hookId: string) {
  const response = await jsonRequest(f.app, 'GET', `/api/webhooks/${hookId}/deliveries?limit=200`, f.adminToken);
  expect(response.status).toBe(200);
  return WebhookDeliveryList.parse(await response.json()).deliveries;
}

async function webhooks(): Promise<WebhookView[]> {
  return WebhookList.parse(await (await jsonRequest(f.app, 'GET', '/api/webhooks', f.adminToken)).json()).webhooks;
}

/** The outbox's messages of a lead, in the order they were written. */
async function messagesOf(leadId: string): Promise<{ message_id: string; type: string; payload: string }[]> {
  return ((await f.dump()).webhook_messages as { id: number | string; message_id: string; lead_id: string; type: string; payload: string }[]).filter((m) => m.lead_id === leadId).sort((a, b) => Number(a.id) - Number(b.id));
}

/** A dispatcher on a clock the test moves. */
function dispatcher(clock: { now: number }, allowPrivate = true) {
  return new WebhookDispatcher(f.store, { allowPrivate, now: () => clock.now, random: () => 0.5 });
}

/** Two leads, each moved Prospect -> MQL -> SQL and given an outcome: six or more events, three per lead, interleaved. */
async function twoLeadsMoving(): Promise<[string, string]> {
  const ann = await newLead('ann@acme.test');
  const bob = await newLead('bob@acme.test');
  for (const stage of ['MQL', 'SQL']) for (const id of [ann, bob]) await patch(id, { stage });
  await patch(ann, { outcome: 'won' });
  await patch(bob, { outcome: 'lost' });
  return [ann, bob];
}

const KINDS: StoreKind[] = (await hasPostgres()) ? ['sqlite', 'postgres'] : ['sqlite'];
const fixture = (kind: StoreKind, config: Partial<AppConfig> = {}) => openFixture(kind, config);

describe.each(KINDS)('on %s', (kind) => {
  describe('webhooks: delivery to a real receiver', () => {
    it('a receiver that is down, then up, gets every event, verified, in order per lead, each webhook-id once', async () => {
      f = await fixture(kind, { allowPrivateWebhooks: true });
      receiver = new WebhookReceiver();
      const port = await freePort();
      const hook = await addWebhook(`http://127.0.0.1:${port}/hooks`);
      receiver.secret = hook.secret;
      const [ann, bob] = await twoLeadsMoving();
      expect((await jsonRequest(f.app, 'PUT', '/api/model', f.adminToken, DEFAULT_MODEL)).status).toBe(202);

      const clock = { now: NOW };
      const d = dispatcher(clock);
      // Down: only the first event of each lead (and the model change) is tried; the others wait behind it.
      expect(await d.drain()).toBe(3);
      const failed = await deliveries(hook.id);
      expect(failed.filter((x) => x.attempts === 1).map((x) => x.lastError)).toEqual([expect.stringContaining('ECONNREFUSED'), expect.stringContaining('ECONNREFUSED'), expect.stringContaining('ECONNREFUSED')]);
      expect(failed.every((x) => x.state === 'pending')).toBe(true);

      await receiver.listen(port);
      clock.now += 4_000; // before the first retry (5 s, with at most 10% jitter): nothing is due
      expect(await d.drain()).toBe(0);
      clock.now += 2_000;
      await d.drain();

      expect(receiver.unverified).toBe(0);
      for (const lead of [ann, bob]) {
        const written = (await messagesOf(lead)).map((m) => m.message_id);
        expect(written.length).toBeGreaterThanOrEqual(3);
        expect(receiver.received.filter((r) => 'lead' in r.payload.data && r.payload.data.lead.id === lead).map((r) => r.id)).toEqual(written);
      }
      const annStages = receiver.received.filter((r) => r.payload.type === 'lead.stage_changed' && r.payload.data.lead.id === ann).map((r) => r.payload.type === 'lead.stage_changed' && r.payload.data.current.stage);
      expect(annStages.slice(0, 2)).toEqual(['MQL', 'SQL']);
      expect(receiver.received.find((r) => r.payload.type === 'model.changed')?.payload.data).toEqual({ version: DEFAULT_MODEL.version + 1, name: DEFAULT_MODEL.name });
      expect(receiver.received.find((r) => r.payload.type === 'lead.outcome_recorded' && r.payload.data.lead.id === bob)?.payload.data).toMatchObject({ previous: { outcome: null }, current: { outcome: 'lost' } });
      expect(receiver.uniqueIds().length).toBe(receiver.received.length);
      const log = await deliveries(hook.id);
      expect(log.every((x) => x.state === 'delivered' && x.deliveredAt !== null)).toBe(true);
      expect((await webhooks())[0]).toMatchObject({ failingSince: null, disabledAt: null });
    });

    it('a retry carries the same webhook-id; 503 with Retry-After is retried no sooner than asked', async () => {
      f = await fixture(kind, { allowPrivateWebhooks: true });
      receiver = new WebhookReceiver();
      const clock = { now: NOW };
      const outcomeTries: number[] = [];
      receiver.status = (delivery, seen) => {
        if (delivery.payload.type === 'lead.outcome_recorded') outcomeTries.push(clock.now);
        return seen > 0 ? 200 : delivery.payload.type === 'lead.outcome_recorded' ? { status: 503, headers: { 'Retry-After': '120' } } : 500;
      };
      const hook = await addWebhook(await receiver.listen(), ['lead.stage_changed', 'lead.outcome_recorded']);
      receiver.secret = hook.secret;
      const ann = await newLead('ann@acme.test');
      await patch(ann, { stage: 'MQL' });
      await patch(ann, { outcome: 'won' });
      const written = (await messagesOf(ann)).map((m) => m.message_id);

      const d = dispatcher(clock);
      for (let i = 0; i < 40; i++, clock.now += 6_000) await d.drain();
      expect(outcomeTries).toHaveLength(2);
      expect(outcomeTries[1]! - outcomeTries[0]!).toBeGreaterThanOrEqual(120_000);
      expect(outcomeTries[1]! - outcomeTries[0]!).toBeLessThan(130_000);

      expect(receiver.received.map((r) => r.id)).toEqual([written[0], written[0], ...written.slice(1).flatMap((id) => [id, id])]);
      expect(receiver.uniqueIds()).toEqual(written);
      expect((await deliveries(hook.id)).map((x) => ({ state: x.state, attempts: x.attempts }))).toEqual(written.map(() => ({ state: 'delivered', attempts: 2 })));
    });

    it('410 Gone disables the endpoint with a visible reason; later events are not sent', async () => {
      f = await fixture(kind, { allowPrivateWebhooks: true });
      receiver = new WebhookReceiver();
      receiver.status = () => 410;
      const hook = await addWebhook(await receiver.listen(), ['lead.stage_changed']);
      receiver.secret = hook.secret;
      const ann = await newLead('ann@acme.test');
      await patch(ann, { stage: 'MQL' });
      const clock = { now: NOW };
      await dispatcher(clock).drain();
      const [view] = await webhooks();
      expect(view?.disabledAt).not.toBeNull();
      expect(view?.disabledReason).toContain('410');
      expect((await deliveries(hook.id))[0]).toMatchObject({ state: 'failed', lastStatus: 410 });

      await patch(ann, { stage: 'SQL' });
      clock.now += 24 * HOUR;
      expect(await dispatcher(clock).drain()).toBe(0);
      expect(receiver.received).toHaveLength(1);
      expect(await deliveries(hook.id)).toHaveLength(1); // a disabled endpoint subscribes to nothing
      await apiError(await jsonRequest(f.app, 'POST', `/api/webhooks/${hook.id}/deliveries/${(await deliveries(hook.id))[0]!.id}/replay`, f.adminToken), 409, 'webhook_disabled');
    });

    it('an endpoint failing for three days is disabled, saying since when', async () => {
      f = await fixture(kind, { allowPrivateWebhooks: true });
      receiver = new WebhookReceiver();
      receiver.status = () => 500;
      const hook = await addWebhook(await receiver.listen(), ['lead.stage_changed']);
      receiver.secret = hook.secret;
      await patch(await newLead('ann@acme.test'), { stage: 'MQL' });
      const clock = { now: NOW };
      const d = dispatcher(clock);
      for (let day = 0; day < 6 && (await webhooks())[0]!.disabledAt === null; day++) {
        await d.drain();
        clock.now += 25 * HOUR;
      }
      const [view] = await webhooks();
      expect(view?.failingSince).toBe(new Date(NOW).toISOString());
      expect(view?.disabledReason).toContain('3 days');
      expect(Date.parse(view!.disabledAt!) - NOW).toBeGreaterThanOrEqual(72 * HOUR);
      expect(Date.parse(view!.disabledAt!) - NOW).toBeLessThan(100 * HOUR);
    });

    it('a rotated secret signs beside the previous one until the overlap ends, then alone', async () => {
      f = await fixture(kind, { allowPrivateWebhooks: true });
      receiver = new WebhookReceiver();
      const hook = await addWebhook(await receiver.listen(), ['lead.stage_changed']);
      const response = await jsonRequest(f.app, 'POST', `/api/webhooks/${hook.id}/rotate-secret`, f.adminToken, { keepPreviousForHours: 24 });
      expect(response.status).toBe(200);
      const rotated = WebhookCreated.parse(await response.json());
      expect(rotated.secret).not.toBe(hook.secret);
      expect(rotated.previousSecretExpiresAt).toBe(new Date(NOW + 24 * HOUR).toISOString());
      expect(JSON.stringify(await webhooks())).not.toContain(rotated.secret);
      const ann = await newLead('ann@acme.test');
      const clock = { now: NOW };
      for (const [stage, secret] of [['MQL', hook.secret], ['SQL', rotated.secret]] as const) {
        receiver.secret = secret; // a receiver on either secret verifies during the overlap
        await patch(ann, { stage });
        await dispatcher(clock).drain();
      }
      expect({ received: receiver.received.length, unverified: receiver.unverified }).toEqual({ received: 2, unverified: 0 });
      clock.now += 25 * HOUR;
      receiver.secret = hook.secret; // after it, the old secret verifies nothing
      await patch(ann, { outcome: 'won' });
      await patch(ann, { stage: 'Disqualified' });
      await dispatcher(clock).drain();
      expect(receiver.unverified).toBe(1);
      await apiError(await jsonRequest(f.app, 'POST', `/api/webhooks/${hook.id}/rotate-secret`, f.adminToken, { keepPreviousForHours: 1_000 }), 400, 'invalid_rotation');
    });

    it('replay sends the same message again with the same webhook-id', async () => {
      f = await fixture(kind, { allowPrivateWebhooks: true });
      receiver = new WebhookReceiver();
      const hook = await addWebhook(await receiver.listen(), ['lead.stage_changed']);
      receiver.secret = hook.secret;
      await patch(await newLead('ann@acme.test'), { stage: 'MQL' });
      const clock = { now: NOW };
      await dispatcher(clock).drain();
      const [first] = await deliveries(hook.id);
      const response = await jsonRequest(f.app, 'POST', `/api/webhooks/${hook.id}/deliveries/${first!.id}/replay`, f.adminToken);
      expect(response.status).toBe(202);
      await dispatcher(clock).drain();
      expect(receiver.received.map((r) => r.id)).toEqual([first!.messageId, first!.messageId]);
      await apiError(await jsonRequest(f.app, 'POST', `/api/webhooks/${hook.id}/deliveries/999999/replay`, f.adminToken), 404, 'not_found');
    });
  });

  describe('webhooks: the outbox', () => {
    it('writes nothing when no endpoint subscribes', async () => {
      f = await fixture(kind, { allowPrivateWebhooks: true });
      await addWebhook('https://hooks.example.com/x', ['model.changed']);
      await patch(await newLead('ann@acme.test'), { stage: 'MQL' });
      const dump = await f.dump();
      expect({ messages: dump.webhook_messages!.length, deliveries: dump.webhook_deliveries!.length }).toEqual({ messages: 0, deliveries: 0 });
    });

    it('a CSV import that records outcomes of known leads writes their events; its dry run writes none', async () => {
      f = await fixture(kind, { allowPrivateWebhooks: true });
      await addWebhook('https://hooks.example.com/x', ['lead.outcome_recorded']);
      const ann = await newLead('ann@acme.test');
      const row = { line: 2, externalId: null, email: 'ann@acme.test', name: null, attributes: {}, outcome: 'won' as const, outcomeAt: NOW, createdAt: null };
      await f.store.importLeads(f.workspace.id, [row], { name: 'test' }, NOW, { dryRun: true });
      expect((await f.dump()).webhook_messages).toHaveLength(0);
      await f.store.importLeads(f.workspace.id, [row], { name: 'test' }, NOW);
      const [message] = await messagesOf(ann);
      expect(JSON.parse(message!.payload)).toMatchObject({ type: 'lead.outcome_recorded', data: { lead: { id: ann, outcome: 'won' }, previous: { outcome: null } } });
    });

    it('commits with the change it records, and a failing transaction leaves neither', async () => {
      f = await fixture(kind, { allowPrivateWebhooks: true });
      await addWebhook('https://hooks.example.com/x', ['lead.stage_changed']);
      const ann = await newLead('ann@acme.test');
      const db = (f.store as unknown as { db: Db }).db;
      const before = (await getLead(db, f.workspace.id, ann))!;
      const failing = db.transaction().execute(async (trx) => {
        await saveLead(trx, compileModel(DEFAULT_MODEL), before, { ...before, stage: 'SQL' }, 'test', NOW);
        expect(await trx.selectFrom('webhook_messages').select('id').execute()).toHaveLength(1);
        throw new Error('a later write of the same transaction failed');
      });
      await expect(failing).rejects.toThrow('a later write');
      const dump = await f.dump();
      expect({ messages: dump.webhook_messages!.length, deliveries: dump.webhook_deliveries!.length }).toEqual({ messages: 0, deliveries: 0 });
      expect((await getLead(db, f.workspace.id, ann))!.stage).toBe('Prospect');

      await db.transaction().execute((trx) => saveLead(trx, compileModel(DEFAULT_MODEL), before, { ...before, stage: 'SQL' }, 'test', NOW));
      const after = await f.dump();
      expect({ messages: after.webhook_messages!.length, deliveries: after.webhook_deliveries!.length }).toEqual({ messages: 1, deliveries: 1 });
      expect((await getLead(db, f.workspace.id, ann))!.stage).toBe('SQL');
    });

    it('erasing a lead removes its payloads and announces the erasure by id only', async () => {
      f = await fixture(kind, { allowPrivateWebhooks: true });
      receiver = new WebhookReceiver();
      const hook = await addWebhook(await receiver.listen());
      receiver.secret = hook.secret;
      const ann = await newLead('ann@acme.test');
      await patch(ann, { stage: 'MQL' });
      await patch(ann, { stage: 'SQL' });
      await dispatcher({ now: NOW }).drain();
      expect(receiver.received).toHaveLength(2);
      expect((await jsonRequest(f.app, 'DELETE', `/api/leads/${ann}`, f.adminToken)).status).toBe(200);
      const dump = JSON.stringify(await f.dump());
      expect(dump).not.toContain('ann@acme.test');
      await dispatcher({ now: NOW }).drain();
      expect(receiver.received.at(-1)?.payload).toMatchObject({ type: 'lead.erased', data: { leadId: ann } });
    });
  });

  describe('webhooks: SSRF and access', () => {
    it.each([
      'https://127.0.0.1/hooks',
      'https://10.1.2.3/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://localhost/hooks',
      'https://[::1]/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
      'http://hooks.example.com/plain-http',
    ])('refuses %s without --allow-private-webhooks, and stores nothing', async (url) => {
      f = await fixture(kind);
      await apiError(await jsonRequest(f.app, 'POST', '/api/webhooks', f.adminToken, { url, events: ['lead.tier_changed'] }), 400, 'webhook_url_refused');
      expect(await webhooks()).toEqual([]);
    });

    it('refuses a private address again at delivery time (DNS may have changed since creation)', async () => {
      f = await fixture(kind);
      receiver = new WebhookReceiver();
      const url = (await receiver.listen()).replace('http://127.0.0.1', 'https://localhost');
      const { endpoint } = await f.store.webhooks.createEndpoint(f.workspace.id, url, ['lead.stage_changed'], NOW);
      await patch(await newLead('ann@acme.test'), { stage: 'MQL' });
      await dispatcher({ now: NOW }, false).drain();
      expect(receiver.received).toHaveLength(0);
      expect((await deliveries(endpoint.id))[0]).toMatchObject({ state: 'pending', attempts: 1, lastError: expect.stringContaining('loopback') });
    });

    it('answers 403 to a rep token on every webhook route', async () => {
      f = await fixture(kind, { allowPrivateWebhooks: true });
      const hook = await addWebhook('https://hooks.example.com/x');
      for (const [method, path] of [
        ['POST', '/api/webhooks'],
        ['GET', '/api/webhooks'],
        ['DELETE', `/api/webhooks/${hook.id}`],
        ['GET', `/api/webhooks/${hook.id}/deliveries`],
        ['POST', `/api/webhooks/${hook.id}/deliveries/1/replay`],
      ] as const) {
        await apiError(await jsonRequest(f.app, method, path, f.repToken, method === 'POST' ? { url: 'https://hooks.example.com/y', events: ['lead.merged'] } : undefined), 403, 'forbidden');
      }
      expect(await webhooks()).toHaveLength(1);
      expect((await jsonRequest(f.app, 'DELETE', `/api/webhooks/${hook.id}`, f.adminToken)).status).toBe(204);
      expect(await webhooks()).toEqual([]);
    });
  });
});
