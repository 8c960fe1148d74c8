import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { LeadDetail, LeadSummary, type TrackedEvent } from '../../../shared/index';
import { createApp } from '../../../backend/src/app';
import { PostgresStore } from '../../../backend/src/store/postgres/postgres-store';
import { SqliteStore } from '../../../backend/src/store/sqlite/sqlite-store';
import type { Site, Store, Workspace } from '../../../backend/src/store/store';
import { hasPostgres } from '../../support/env';
import { testSchema } from '../support/postgres-schema';
import { apiError, collect, event, jsonRequest, NOW, tempDir } from '../support/app';

interface Harness {
  store: Store;
  app: Hono;
  workspace: Workspace;
  site: Site;
  repToken: string;
  otherRepToken: string;
  close(): Promise<void>;
}

async function harness(store: Store, close: () => Promise<void>): Promise<Harness> {
  const workspace = await store.createWorkspace('Acme', NOW);
  const site = await store.createSite(workspace.id, ['https://www.acme.test'], NOW);
  const repToken = (await store.createToken(workspace.id, 'rep', 'Rita', NOW)).secret;
  const globex = await store.createWorkspace('Globex', NOW);
  const otherRepToken = (await store.createToken(globex.id, 'rep', null, NOW)).secret;
  return { store, app: createApp({ store, config: { now: () => NOW } }), workspace, site, repToken, otherRepToken, close };
}

const openers: [string, boolean, () => Promise<Harness>][] = [
  [
    'SQLite',
    true,
    async () => {
      const tmp = tempDir();
      const store = await SqliteStore.open(`${tmp.dir}/identity.db`);
      return harness(store, async () => {
        await store.close();
        tmp.remove();
      });
    },
  ],
  [
    'PostgreSQL',
    await hasPostgres(),
    async () => {
      const schema = testSchema();
      const store = await PostgresStore.open(schema.url);
      return harness(store, async () => {
        await store.close();
        await schema.drop();
      });
    },
  ],
];

/** The two ingest doors anyone with the public site key can use. */
const doors: [string, (h: Harness, batch: TrackedEvent[]) => Promise<Response>][] = [
  ['/collect', (h, batch) => collect(h.app, { siteKey: h.site.key, batch })],
  [
    '/v1/batch',
    (h, batch) =>
      Promise.resolve(
        h.app.request('/v1/batch', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`${h.site.key}:`).toString('base64')}` },
          body: JSON.stringify({ batch }),
        }),
      ),
  ],
];

for (const [storeName, available, open] of openers) {
  describe.runIf(available)(`identity and merges over HTTP (${storeName})`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    const view = async (id: string) => {
      const response = await jsonRequest(h.app, 'GET', `/api/leads/${id}?limit=200`, h.repToken);
      expect(response.status).toBe(200);
      return LeadDetail.parse(await response.json());
    };
    const leadId = async (email: string) => (await h.store.findLeadsByEmails(h.workspace.id, [email])).get(email)!.id;
    const identify = (email: string, anonymousId: string, traits: Record<string, unknown> = {}) => event({ type: 'identify', anonymousId, traits: { email, ...traits } });
    const patch = (id: string, body: unknown) => jsonRequest(h.app, 'PATCH', `/api/leads/${id}`, h.repToken, body);

    /** Dave (lost, Retail, tagged last) and Alice (Software, rated 9), each with their own history. */
    async function daveAndAlice(send: (typeof doors)[number][1]) {
      expect((await send(h, [identify('alice@acme.com', 'v-alice'), event({ anonymousId: 'v-alice', type: 'track', event: 'Webinar Registered' })])).ok).toBe(true);
      expect((await send(h, [identify('dave@acme.com', 'v-dave'), event({ anonymousId: 'v-dave', type: 'track', event: 'Webinar Attended' })])).ok).toBe(true);
      const alice = await leadId('alice@acme.com');
      const dave = await leadId('dave@acme.com');
      expect((await patch(alice, { attributes: { industry: 'Software' }, rating: 9 })).status).toBe(200);
      expect((await patch(dave, { attributes: { industry: 'Retail' }, outcome: 'lost' })).status).toBe(200);
      return { alice, dave };
    }

    for (const [door, send] of doors) {
      it(`ignores the three-identify hijack (throwaway, Dave, Alice) through ${door}: both leads' views stay as they were`, async () => {
        const { alice, dave } = await daveAndAlice(send);
        const before = { [alice]: await view(alice), [dave]: await view(dave) };

        for (const email of ['throwaway@evil.example', 'dave@acme.com', 'alice@acme.com']) {
          expect((await send(h, [identify(email, 'v-evil', { industry: 'Gambling' })])).ok).toBe(true);
        }

        for (const id of [alice, dave]) {
          const after = await view(id);
          // The identify that named the lead is its one new event; it scores nothing and changes nothing else.
          const added = after.timeline.events.filter((e) => !before[id]!.timeline.events.some((b) => b.id === e.id));
          expect(added.map((e) => [e.event, e.properties.email])).toEqual([['Identified', after.email]]);
          expect({ ...after, timeline: { ...after.timeline, events: after.timeline.events.filter((e) => !added.includes(e)) } }).toEqual(before[id]);
        }
        // Erasing Alice afterwards leaves Dave's view as it is, but for their account, which no longer counts her.
        const { account: accountBefore, ...daveNow } = await view(dave);
        await h.store.eraseLead(h.workspace.id, alice);
        const { account, ...daveAfter } = await view(dave);
        expect(daveAfter).toEqual(daveNow);
        expect(account!.id).toBe(accountBefore!.id);
        expect((await h.store.getAccount(h.workspace.id, account!.id))!.people).toBe(1);
      });
    }

    it('merges a lead into another when a rep asks: history moves, the survivor’s rep values win, the actor is recorded', async () => {
      const { alice, dave } = await daveAndAlice(doors[0]![1]);
      const response = await jsonRequest(h.app, 'POST', `/api/leads/${alice}/merge`, h.repToken, { other: dave }, { 'Idempotency-Key': 'merge-1' });
      expect(response.status).toBe(200);
      const summary = LeadSummary.parse(await response.json());
      expect(summary).toMatchObject({ id: alice, email: 'alice@acme.com', stage: 'Disqualified' });

      const merged = await view(alice);
      expect(merged.attributes.find((a) => a.key === 'industry')).toMatchObject({ value: 'Software', setBy: expect.stringMatching(/^Rita \(tok_/) });
      expect(merged.attributes.find((a) => a.key === 'rating')).toMatchObject({ value: 9 });
      expect(merged.outcome).toBe('lost');
      expect(merged.timeline.events.map((e) => e.event).sort()).toEqual(['Identified', 'Identified', 'Webinar Attended', 'Webinar Registered']);
      expect(merged.stageHistory.at(-1)?.reason).toMatch(new RegExp(`^merged with lead ${dave} by Rita \\(tok_`));
      expect((await jsonRequest(h.app, 'GET', `/api/leads/${dave}`, h.repToken)).status).toBe(404);
      expect(await leadId('dave@acme.com')).toBe(alice);

      const replay = await jsonRequest(h.app, 'POST', `/api/leads/${alice}/merge`, h.repToken, { other: dave }, { 'Idempotency-Key': 'merge-1' });
      expect(replay.status).toBe(200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
    });

    it('refuses a merge into itself, across workspaces, of unknown ids or with a bad body, changing nothing', async () => {
      const { alice, dave } = await daveAndAlice(doors[0]![1]);
      const before = [await view(alice), await view(dave)];
      const merge = (id: string, body: unknown, token = h.repToken) => jsonRequest(h.app, 'POST', `/api/leads/${id}/merge`, token, body);
      await apiError(await merge(alice, { other: alice }), 400, 'merge_into_itself');
      await apiError(await merge(alice, { other: dave }, h.otherRepToken), 404, 'not_found');
      await apiError(await merge(alice, { other: 'ld_nope' }), 404, 'not_found');
      await apiError(await merge('ld_nope', { other: dave }), 404, 'not_found');
      await apiError(await merge(alice, { from: dave }), 400, 'invalid_body');
      await apiError(await merge(alice, {}), 400, 'invalid_body');
      expect((await h.app.request(`/api/leads/${alice}/merge`, { method: 'POST', body: JSON.stringify({ other: dave }) })).status).toBe(401);
      expect([await view(alice), await view(dave)]).toEqual(before);
    });
  });
}
