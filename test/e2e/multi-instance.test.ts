import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../backend/src/store/postgres/postgres-store';
import { DEFAULT_MODEL, type Job, type ScoringModel, type TrackedEvent } from '../../shared/index';
import { testSchema, type TestSchema } from '../backend/support/postgres-schema';
import { outcomes, random, scenario, type Scenario } from '../backend/support/postgres-scenario';
import { startBackend, type ServerProcess as Instance } from '../support/backend-server';
import { hasPostgres } from '../support/env';
import { waitForJob } from '../support/jobs-http';

const ORIGIN = 'https://www.acme.test';

interface Tenant {
  workspaceId: string;
  siteKey: string;
  adminToken: string;
}

async function seed(url: string): Promise<Tenant> {
  const store = await PostgresStore.open(url);
  const ws = await store.createWorkspace('Acme', Date.now());
  const site = await store.createSite(ws.id, [ORIGIN], Date.now());
  const { secret } = await store.createToken(ws.id, 'admin', 'ops', Date.now());
  await store.close();
  return { workspaceId: ws.id, siteKey: site.key, adminToken: secret };
}

/** A batch as the tracker sends it (/collect) or as a Segment SDK does (/v1/batch); server-side events go the Segment way. */
async function send(instance: Instance, tenant: Tenant, batch: TrackedEvent[], viaSegment: boolean): Promise<number> {
  const response = viaSegment
    ? await fetch(`${instance.url}/v1/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`${tenant.siteKey}:`).toString('base64')}` },
        body: JSON.stringify({ batch }),
      })
    : await fetch(`${instance.url}/collect`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: ORIGIN },
        body: JSON.stringify({ siteKey: tenant.siteKey, batch }),
      });
  const body = (await response.json()) as { accepted: number };
  expect(response.status, JSON.stringify(body)).toBeLessThan(300);
  return body.accepted;
}

function api<T>(instance: Instance, tenant: Tenant, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  return fetch(`${instance.url}/api${path}`, { ...init, headers: { Authorization: `Bearer ${tenant.adminToken}`, 'Content-Type': 'application/json' } }).then(async (r) => ({ status: r.status, body: (await r.json()) as T }));
}

const finished = (instance: Instance, tenant: Tenant, id: string) => waitForJob(instance.url, tenant.adminToken, id);

async function inParallel(tasks: (() => Promise<unknown>)[], limit: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < tasks.length) await tasks[next++]!();
  }));
}

const viaSegment = (batch: TrackedEvent[]) => batch.some((e) => e.userId !== undefined);

/** A model change every lead feels: engagement is worth more. */
const richerModel: ScoringModel = {
  ...DEFAULT_MODEL,
  engagement: { max: 60, rules: DEFAULT_MODEL.engagement.rules.map((r) => ({ ...r, points: r.points > 0 ? r.points * 2 : r.points })) },
};

describe.runIf(await hasPostgres())('two backend instances on one PostgreSQL database', () => {
  const schemas: TestSchema[] = [];
  const instances: Instance[] = [];
  let data: Scenario;
  let shared: TestSchema;
  let single: TestSchema;
  let a: Instance;
  let b: Instance;
  let alone: Instance;
  let sharedTenant: Tenant;
  let singleTenant: Tenant;

  beforeAll(async () => {
    data = scenario(24, 42, Date.now());
    shared = testSchema();
    single = testSchema();
    schemas.push(shared, single);
    [sharedTenant, singleTenant] = await Promise.all([seed(shared.url), seed(single.url)]);
    [a, b, alone] = await Promise.all([startBackend(shared.url), startBackend(shared.url), startBackend(single.url)]);
    instances.push(a, b, alone);
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await Promise.all(schemas.map((s) => s.drop()));
  });

  it('stores interleaved, concurrently retried batches exactly as one instance does', async () => {
    for (const batch of data.batches) await send(alone, singleTenant, batch, viaSegment(batch));

    const rand = random(5);
    let accepted = 0;
    const tasks = data.batches.flatMap((batch) => {
      const first = rand() < 0.5 ? a : b;
      const sends = [first];
      // The client did not see the answer and sends the same messageIds again, to either instance.
      if (rand() < 0.6) sends.push(rand() < 0.7 ? (first === a ? b : a) : first);
      return sends.map((instance) => async () => {
        const stored = await send(instance, sharedTenant, batch, viaSegment(batch));
        accepted += stored;
      });
    });
    await inParallel(tasks, 10);

    expect(accepted).toBe(data.messageIds.size);
    for (const schema of [shared, single]) {
      const [counts] = await schema.query<{ events: number; distinct_ids: number; leads: number; orphans: number; anonymous: number }>(`
        select (select count(*)::int from events) as events,
               (select count(distinct message_id)::int from events) as distinct_ids,
               (select count(*)::int from leads) as leads,
               (select count(*)::int from identities i where not exists (select 1 from leads l where l.id = i.lead_id))
                 + (select count(*)::int from events e where not exists (select 1 from leads l where l.id = e.lead_id)) as orphans,
               (select count(*)::int from events where lead_id is null) as anonymous`);
      expect(counts).toEqual({ events: data.messageIds.size, distinct_ids: data.messageIds.size, leads: data.people.length, orphans: 0, anonymous: 0 });
    }

    const [sharedStore, singleStore] = await Promise.all([PostgresStore.open(shared.url), PostgresStore.open(single.url)]);
    try {
      const fixedNow = Date.now();
      const expected = await outcomes(singleStore, singleTenant.workspaceId, data.people, fixedNow);
      expect(expected.every((o) => o.leadIds === 1)).toBe(true);
      expect(await outcomes(sharedStore, sharedTenant.workspaceId, data.people, fixedNow)).toEqual(expected);
    } finally {
      await Promise.all([sharedStore.close(), singleStore.close()]);
    }

    // Both instances answer lookups from the same data.
    const emails = data.people.map((p) => p.emails[0]!).join(',');
    type Lookup = { leads: Record<string, { id: string; tier: string; stage: string } | null> };
    const [fromA, fromB] = await Promise.all([api<Lookup>(a, sharedTenant, `/leads?email=${emails}`), api<Lookup>(b, sharedTenant, `/leads?email=${emails}`)]);
    const ids = (r: Lookup) => Object.values(r.leads).map((l) => l?.id);
    expect(ids(fromA.body)).toEqual(ids(fromB.body));
    expect(ids(fromA.body).every((id) => typeof id === 'string')).toBe(true);
  });

  it('serves a model put on one instance from the other, with every lead rescored once per version', async () => {
    // The same change arrives at both instances at once (two admins, or a retried request).
    type Put = { model: ScoringModel; job: Job };
    const puts = await Promise.all([api<Put>(a, sharedTenant, '/model', { method: 'PUT', body: JSON.stringify(richerModel) }), api<Put>(b, sharedTenant, '/model', { method: 'PUT', body: JSON.stringify(richerModel) })]);
    expect(puts.map((p) => p.status)).toEqual([202, 202]);
    expect(puts.map((p) => p.body.model.version).sort()).toEqual([2, 3]);
    const aloneRescore = await api<Put>(alone, singleTenant, '/model', { method: 'PUT', body: JSON.stringify(richerModel) });
    expect(aloneRescore.status).toBe(202);
    // The later version's job rescores every lead; the earlier one's is superseded (or done first).
    const last = puts.find((p) => p.body.model.version === 3)!.body.job;
    expect(await finished(a, sharedTenant, last.id)).toMatchObject({ state: 'done', progress: { done: data.people.length, total: data.people.length } });
    expect(['done', 'superseded']).toContain((await finished(b, sharedTenant, puts.find((p) => p.body.model.version === 2)!.body.job.id)).state);
    expect((await finished(alone, singleTenant, aloneRescore.body.job.id)).state).toBe('done');

    const served = await api<ScoringModel>(b, sharedTenant, '/model');
    expect(served.body.version).toBe(3);
    expect(served.body.engagement).toEqual(richerModel.engagement);
    expect((await api<ScoringModel>(a, sharedTenant, '/model')).body.version).toBe(3);

    const [sharedStore, singleStore] = await Promise.all([PostgresStore.open(shared.url), PostgresStore.open(single.url)]);
    try {
      const fixedNow = Date.now();
      const rescored = await outcomes(sharedStore, sharedTenant.workspaceId, data.people, fixedNow);
      expect(rescored).toEqual(await outcomes(singleStore, singleTenant.workspaceId, data.people, fixedNow));
      const { compiled } = await sharedStore.currentModel(sharedTenant.workspaceId);
      const leads = await sharedStore.leadsByScore(sharedTenant.workspaceId, { minScore: 0, offset: 0, limit: 1_000 });
      expect(leads.every((l) => l.aggregate.fingerprint === compiled.fingerprint)).toBe(true);
    } finally {
      await Promise.all([sharedStore.close(), singleStore.close()]);
    }

    // Read through B, a lead scores as it does on the single instance with the same model.
    const email = data.people[1]!.emails[0]!;
    type Lookup = { leads: Record<string, { engagement: number; reasons: unknown[] }> };
    const viaB = (await api<Lookup>(b, sharedTenant, `/leads?email=${email}`)).body.leads[email]!;
    const viaSingle = (await api<Lookup>(alone, singleTenant, `/leads?email=${email}`)).body.leads[email]!;
    expect(viaB.engagement).toBeGreaterThan(0);
    expect(viaB.engagement).toBeCloseTo(viaSingle.engagement, 1);
  });

  it('answers /healthz on every instance', async () => {
    for (const instance of [a, b]) expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);
  });
});
