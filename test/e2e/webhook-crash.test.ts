import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../../shared/index';
import { SqliteStore } from '../../backend/src/store/sqlite/sqlite-store';
import { tempDir } from '../backend/support/app';
import { WebhookReceiver } from '../backend/support/webhook-receiver';
import { startBackend, type ServerProcess } from '../support/backend-server';

const LEADS = 20;
/** Short, so the restarted server resends what the dead one had claimed soon. */
const WEBHOOK_LEASE_MS = '1000';

function messages(file: string): { message_id: string; lead_id: string }[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare('select message_id, lead_id from webhook_messages order by id').all() as { message_id: string; lead_id: string }[];
  } finally {
    db.close();
  }
}

describe('a backend killed with SIGKILL in the middle of webhook deliveries', () => {
  const tmp = tempDir();
  const file = join(tmp.dir, 'webhook-crash.db');
  const servers: ServerProcess[] = [];
  const receiver = new WebhookReceiver();
  afterAll(async () => {
    for (const server of servers) await server.stop().catch(() => undefined);
    await receiver.close();
    tmp.remove();
  });

  it('loses nothing: after a restart every event arrives, each lead in order, resent ones with the same webhook-id', async () => {
    receiver.delayMs = 300; // deliveries are in flight, received but not yet answered, when the kill lands
    const url = await receiver.listen();
    const store = await SqliteStore.open(file);
    const ws = await store.createWorkspace('Acme', Date.now());
    const { secret: admin } = await store.createToken(ws.id, 'admin', 'ops', Date.now());
    receiver.secret = (await store.webhooks.createEndpoint(ws.id, url, [...WEBHOOK_EVENT_TYPES], Date.now())).secret;
    await store.close();

    const env = { ALLOW_PRIVATE_WEBHOOKS: 'true', WEBHOOK_LEASE_MS };
    const first = await startBackend(file, undefined, env);
    servers.push(first);
    const api = (base: string, method: string, path: string, body: unknown) =>
      fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const leads: string[] = [];
    for (let i = 0; i < LEADS; i++) leads.push(((await (await api(first.url, 'POST', '/api/leads', { email: `lead${i}@acme.test` })).json()) as { id: string }).id);
    for (const body of [{ stage: 'MQL' }, { stage: 'SQL' }, { outcome: 'won' }]) for (const id of leads) expect((await api(first.url, 'PATCH', `/api/leads/${id}`, body)).status).toBe(200);
    const written = messages(file);
    expect(written.length).toBeGreaterThanOrEqual(3 * LEADS);

    while (receiver.received.length === 0) await sleep(5);
    process.kill(first.pid, 'SIGKILL');
    await first.exited;
    const atKill = receiver.uniqueIds().length;
    expect(atKill).toBeLessThan(written.length);

    const restarted = await startBackend(file, undefined, env);
    servers.push(restarted);
    const deadline = Date.now() + 60_000;
    while (receiver.uniqueIds().length < written.length && Date.now() < deadline) await sleep(50);

    expect(receiver.unverified).toBe(0);
    expect(new Set(receiver.uniqueIds())).toEqual(new Set(written.map((m) => m.message_id)));
    for (const lead of leads) {
      const firstArrivals = [...new Set(receiver.received.filter((r) => 'lead' in r.payload.data && r.payload.data.lead.id === lead).map((r) => r.id))];
      expect(firstArrivals).toEqual(written.filter((m) => m.lead_id === lead).map((m) => m.message_id));
    }
    const resent = receiver.received.length - receiver.uniqueIds().length;
    console.info(`webhook crash: ${atKill} of ${written.length} events received at the kill; ${resent} resent with their webhook-id after the restart; none lost`);
  }, 120_000);
});
