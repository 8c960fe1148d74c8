import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { DEFAULT_MODEL, scoreLead, scorableName, type ScoringModel, type TrackedEvent } from '../../../shared/index';
import { prepareEvents } from '../../../backend/src/domain/events';
import type { LeadRecord, Site, Store, Workspace } from '../../../backend/src/store/store';
import { putModelAndRescore } from './jobs';
import { event, NOW } from './app';

/** What a storage implementation's test file provides: an empty, migrated store and a raw view of its tables. */
export interface StoreHarness {
  store: Store;
  /** Every row of every table, read outside the Store interface. */
  dump(): Promise<Record<string, unknown[]>>;
  close(): Promise<void>;
}

const actor = { name: 'Rita (tok_test)' };

/**
 * The storage test suite. Every Store implementation runs it (SQLite now, PostgreSQL later):
 * `describeStoreContract('sqlite', openHarness)`.
 */
export function describeStoreContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let h: StoreHarness;
    let store: Store;
    let ws: Workspace;
    let site: Site;

    const ingest = (events: TrackedEvent[], now = NOW, on = site) => store.ingest(on, prepareEvents(events, now), now);
    const leadOf = async (email: string) => (await store.findLeadsByEmails(ws.id, [email])).get(email.trim().toLowerCase());
    const identify = (email: string, anonymousId: string, extra: Parameters<typeof event>[0] = {}) =>
      event({ type: 'identify', anonymousId, traits: { email }, ...extra });

    beforeEach(async () => {
      h = await open();
      store = h.store;
      ws = await store.createWorkspace('Acme', NOW);
      site = await store.createSite(ws.id, ['https://www.acme.test'], NOW);
    });
    afterEach(async () => {
      await h.close();
    });

    describe('tenancy', () => {
      it('lists workspaces and sites, and starts each workspace with the default model', async () => {
        const second = await store.createWorkspace('Globex', NOW + 1);
        expect((await store.listWorkspaces()).map((w) => w.name)).toEqual(['Acme', 'Globex']);
        expect(await store.getWorkspace(second.id)).toEqual(second);
        expect(await store.getWorkspace('ws_nope')).toBeUndefined();
        expect((await store.findSiteByKey(site.key))?.origins).toEqual(['https://www.acme.test']);
        expect(await store.listSites(second.id)).toEqual([]);
        expect((await store.currentModel(ws.id)).model).toEqual(DEFAULT_MODEL);
        let ran = false;
        expect(await store.onFirstStart(async () => (ran = true))).toBeUndefined();
        expect(ran).toBe(false);
      });

      it('adds origins to a site once each', async () => {
        await store.addSiteOrigins(site.key, ['https://b.test', 'https://www.acme.test']);
        expect((await store.findSiteByKey(site.key))?.origins).toEqual(['https://www.acme.test', 'https://b.test']);
        expect(await store.addSiteOrigins('pk_nope', ['https://c.test'])).toBeUndefined();
      });

      it('stores tokens only as hashes, finds them by secret, and revokes them', async () => {
        const { token, secret } = await store.createToken(ws.id, 'admin', 'ops', NOW);
        expect(secret).toMatch(/^ls_admin_[A-Za-z0-9]{43}$/);
        const rows = JSON.stringify((await h.dump()).tokens);
        expect(rows).not.toContain(secret);
        expect(rows).toContain(createHash('sha256').update(secret).digest('hex'));
        expect(await store.findToken(secret)).toEqual(token);
        expect(await store.findToken(secret.slice(0, -1))).toBeUndefined();
        expect(await store.revokeToken(token.id, NOW + 1)).toBe(true);
        expect((await store.findToken(secret))?.revokedAt).toBe(NOW + 1);
        expect(await store.revokeToken('tok_nope', NOW)).toBe(false);
      });

      it('keeps settings', async () => {
        expect(await store.getSetting('k')).toBeUndefined();
        await store.setSetting('k', 'a');
        await store.setSetting('k', 'b');
        expect(await store.getSetting('k')).toBe('b');
      });
    });

    describe('ingest', () => {
      it('stores a batch once however often it is retried', async () => {
        const batch = [event(), event({ type: 'track', event: 'Webinar Registered' })];
        expect(await ingest(batch)).toEqual({ accepted: 2, duplicates: 0 });
        expect(await ingest(batch)).toEqual({ accepted: 0, duplicates: 2 });
        expect(await ingest([...batch, event()])).toEqual({ accepted: 1, duplicates: 2 });
        expect((await h.dump()).events).toHaveLength(3);
      });

      it('stores a messageId repeated inside one batch once, and the same id on two sites or from two visitors twice', async () => {
        const e = event({ anonymousId: 'v-1' });
        expect(await ingest([e, e])).toEqual({ accepted: 1, duplicates: 1 });
        const other = await store.createSite(ws.id, ['https://b.test'], NOW);
        expect(await ingest([e], NOW, other)).toEqual({ accepted: 1, duplicates: 0 });
        expect(await ingest([{ ...e, anonymousId: 'v-2' }])).toEqual({ accepted: 1, duplicates: 0 });
        expect((await h.dump()).events).toHaveLength(3);
      });

      it('stores a server-side event, which has a userId and no visitor, once however often it is retried', async () => {
        const e = event({ anonymousId: undefined, userId: 'crm-7' });
        expect(await ingest([e])).toEqual({ accepted: 1, duplicates: 0 });
        expect(await ingest([e, e])).toEqual({ accepted: 0, duplicates: 2 });
        expect((await h.dump()).events).toHaveLength(1);
      });

      it("keeps anonymous visitors' events without creating a lead", async () => {
        await ingest([event({ anonymousId: 'anon-1' })]);
        const dump = await h.dump();
        expect(dump.events).toHaveLength(1);
        expect(dump.leads).toHaveLength(0);
        expect(await store.findLeadByVisitor(ws.id, 'anon-1')).toBeUndefined();
      });

      it('commits concurrent batches together, refusing only the one that fails', async () => {
        const poisoned = [identify('bad@acme.test', 'v-bad'), event({ anonymousId: 'v-bad', properties: { n: 1n } as never })];
        const results = await Promise.allSettled([ingest([event({ anonymousId: 'g1' })]), ingest(poisoned), ingest([event({ anonymousId: 'g2' }), event({ anonymousId: 'g3' })])]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect(results[2]).toEqual({ status: 'fulfilled', value: { accepted: 2, duplicates: 0 } });
        const dump = await h.dump();
        expect(dump.events).toHaveLength(3);
        expect(dump.leads).toHaveLength(0);
      });

      it('commits the other members of a commit group when one batch carries text no database can keep', async () => {
        // Past the schemas (as a future caller might be): identify first, so a half-applied poison batch would leave a lead.
        const poisoned = [identify('nul@acme.test', 'v-nul'), event({ anonymousId: 'v-nul', type: 'track', event: 'Demo\u0000Requested' })];
        const results = await Promise.allSettled([ingest([event({ anonymousId: 'g1' })]), ingest(poisoned), ingest([event({ anonymousId: 'g2' }), event({ anonymousId: 'g3' })])]);
        expect(results[0]).toEqual({ status: 'fulfilled', value: { accepted: 1, duplicates: 0 } });
        expect(results[1]).toMatchObject({ status: 'rejected', reason: { kind: 'invalid', code: 'invalid_text' } });
        expect(results[2]).toEqual({ status: 'fulfilled', value: { accepted: 2, duplicates: 0 } });
        const dump = await h.dump();
        expect(dump.events).toHaveLength(3);
        expect(dump.leads).toHaveLength(0);
      });

      it('refuses NUL and unpaired surrogates before they reach the database (a 400, not a driver error), writing nothing', async () => {
        await ingest([identify('ann@acme.test', 'v-ann')]);
        const lead = (await leadOf('ann@acme.test'))!;
        const before = await h.dump();
        const refused = { kind: 'invalid', code: 'invalid_text' };
        await expect(ingest([event({ anonymousId: 'v\u0000' })])).rejects.toMatchObject(refused);
        // (Properties and traits are stored as JSON, whose escapes round-trip any string exactly; the schemas refuse them at the edge.)
        // Both would be stored as the same U+FFFD id, the second counted as a duplicate of the first.
        await expect(ingest([event({ messageId: 'lone-\ud800' }), event({ messageId: 'lone-\ud801' })])).rejects.toMatchObject(refused);
        await expect(store.createLead(ws.id, { email: 'bo@acme.test', name: 'Bo\u0000' }, actor, NOW)).rejects.toMatchObject(refused);
        await expect(store.patchLead(ws.id, lead.id, { name: '\udc00' }, actor, NOW)).rejects.toMatchObject(refused);
        await expect(store.findSiteByKey('pk_\u0000')).rejects.toMatchObject(refused);
        await expect(store.findLeadsByEmails(ws.id, ['ann\u0000@acme.test'])).rejects.toMatchObject(refused);
        await expect(store.getLead(ws.id, `${lead.id}\u0000`)).rejects.toMatchObject(refused);
        await expect(store.eraseLead(ws.id, `${lead.id}\u0000`)).rejects.toMatchObject(refused);
        expect(await h.dump()).toEqual(before);
        // Well-formed text of any plane is kept as sent.
        const astral = event({ anonymousId: 'v-😀', messageId: 'm-𝒜', properties: { t: '日本語 👩‍👩‍👧' } });
        expect(await ingest([astral])).toEqual({ accepted: 1, duplicates: 0 });
      });

      it('writes nothing of a batch that fails halfway', async () => {
        const before = await h.dump();
        const poisoned = [identify('new@acme.test', 'v-poison'), event({ anonymousId: 'v-poison', properties: { n: 1n } as never })];
        await expect(ingest(poisoned)).rejects.toThrow();
        expect(await h.dump()).toEqual(before);
      });
    });

    describe('identity', () => {
      it("makes a lead of a visitor who identifies, with the visitor's earlier events", async () => {
        await ingest([event({ anonymousId: 'v1', context: { page: { path: '/pricing' } }, ago: 3_600_000 })]);
        await ingest([identify(' Ann@Acme.test ', 'v1')]);
        const lead = (await leadOf('ann@acme.test'))!;
        expect(lead.email).toBe('ann@acme.test');
        expect((await store.findLeadByVisitor(ws.id, 'v1'))?.id).toBe(lead.id);
        const { events } = await store.timeline(ws.id, lead.id, { limit: 10 });
        expect(events.map((e) => e.name).sort()).toEqual(['Identified', 'Page Viewed']);
        expect(lead.engagement).toBeGreaterThan(9);
        // Later events of the same visitor belong to the lead at once.
        await ingest([event({ anonymousId: 'v1', type: 'track', event: 'Webinar Attended' })]);
        expect((await store.timeline(ws.id, lead.id, { limit: 10 })).events).toHaveLength(3);
      });

      it('identifies by a userId that is an email (server-side SDKs send no anonymousId)', async () => {
        await ingest([event({ anonymousId: undefined, userId: 'Bob@Acme.test', type: 'track', event: 'Webinar Attended' })]);
        const lead = (await leadOf('bob@acme.test'))!;
        expect(lead.engagement).toBeGreaterThan(0);
        expect((await store.timeline(ws.id, lead.id, { limit: 5 })).events).toHaveLength(1);
      });

      it('ties a non-email userId to the lead once an identify names its email', async () => {
        await ingest([event({ anonymousId: undefined, userId: 'u-42', type: 'track', event: 'Webinar Registered' })]);
        await ingest([event({ type: 'identify', anonymousId: undefined, userId: 'u-42', traits: { email: 'cy@acme.test' } })]);
        const lead = (await leadOf('cy@acme.test'))!;
        expect((await store.timeline(ws.id, lead.id, { limit: 5 })).events.map((e) => e.name).sort()).toEqual(['Identified', 'Webinar Registered']);
      });

      it('links an alias’s previous id to the user', async () => {
        await ingest([event({ anonymousId: 'v-old', type: 'track', event: 'Webinar Registered' })]);
        await ingest([event({ type: 'alias', anonymousId: undefined, previousId: 'v-old', userId: 'dee@acme.test' })]);
        const lead = (await leadOf('dee@acme.test'))!;
        expect((await store.findLeadByVisitor(ws.id, 'v-old'))?.id).toBe(lead.id);
        expect((await store.timeline(ws.id, lead.id, { limit: 5 })).events).toHaveLength(2);
      });

      /** Everything a lead view shows of a lead, and its timeline. */
      const snapshot = async (id: string) => {
        const { updatedAt: _touched, scoredAt: _scored, ...lead } = (await store.getLead(ws.id, id))!;
        return { lead, history: await store.stageHistory(ws.id, id), events: (await store.timeline(ws.id, id, { limit: 100 })).events };
      };
      /** Two known leads a rep has worked on: Dave (Retail, lost, tagged last) and Alice (Software). */
      const daveAndAlice = async () => {
        await ingest([identify('alice@acme.test', 'v-alice'), event({ anonymousId: 'v-alice', type: 'track', event: 'Webinar Registered' })]);
        await ingest([identify('dave@acme.test', 'v-dave'), event({ anonymousId: 'v-dave', type: 'track', event: 'Webinar Attended' })]);
        const alice = (await leadOf('alice@acme.test'))!;
        const dave = (await leadOf('dave@acme.test'))!;
        await store.patchLead(ws.id, alice.id, { attributes: { industry: 'Software' }, rating: 9 }, actor, NOW);
        await store.patchLead(ws.id, dave.id, { attributes: { industry: 'Retail' }, outcome: 'lost' }, { name: 'Rob (tok_rob)' }, NOW + 1);
        return { alice, dave };
      };

      it('never merges two known leads on identify: throwaway, then Dave, then Alice leaves Dave and Alice as they were', async () => {
        const { alice, dave } = await daveAndAlice();
        const before = { alice: await snapshot(alice.id), dave: await snapshot(dave.id) };

        await ingest([identify('throwaway@evil.test', 'v-evil', { traits: { email: 'throwaway@evil.test', industry: 'Gambling' } })]);
        await ingest([identify('dave@acme.test', 'v-evil', { traits: { email: 'dave@acme.test', industry: 'Gambling' } })]);
        await ingest([identify('alice@acme.test', 'v-evil', { traits: { email: 'alice@acme.test', industry: 'Gambling' } })]);

        for (const [name, lead] of [['dave', dave], ['alice', alice]] as const) {
          const after = await snapshot(lead.id);
          expect(after.lead).toEqual(before[name].lead);
          expect(after.history).toEqual(before[name].history);
          // The one trace: the identify call that named this lead is in its timeline, unscored.
          const added = after.events.filter((e) => !before[name].events.some((b) => b.id === e.id));
          expect(added.map((e) => [e.name, e.properties.email])).toEqual([['Identified', lead.email]]);
          expect(after.events.filter((e) => e.name !== 'Identified' || e.properties.email !== lead.email || before[name].events.some((b) => b.id === e.id))).toEqual(before[name].events);
          expect((await leadOf(lead.email!))?.id).toBe(lead.id);
        }
        expect((await leadOf('throwaway@evil.test'))).toBeDefined();
        // The visitor's later events go to the lead it named last.
        expect((await store.findLeadByVisitor(ws.id, 'v-evil'))?.id).toBe(alice.id);
        expect((await store.findLeadByVisitor(ws.id, 'v-dave'))?.id).toBe(dave.id);
        // Erasing Alice leaves Dave whole, even the event the shared visitor sent as Dave.
        const dave2 = await snapshot(dave.id);
        await store.eraseLead(ws.id, alice.id);
        expect(await snapshot(dave.id)).toEqual(dave2);
      });

      it('sends a shared visitor’s events to whoever it named last, in one batch too, moving nothing already stored', async () => {
        const { alice, dave } = await daveAndAlice();
        await ingest([
          identify('dave@acme.test', 'v-shared'),
          event({ anonymousId: 'v-shared', type: 'track', event: 'Demo Requested' }),
          identify('alice@acme.test', 'v-shared'),
          event({ anonymousId: 'v-shared', type: 'track', event: 'File Downloaded' }),
        ]);
        await ingest([event({ anonymousId: 'v-shared', type: 'track', event: 'Form Submitted' })]);
        const names = async (id: string) => (await store.timeline(ws.id, id, { limit: 50 })).events.map((e) => e.name).sort();
        expect(await names(dave.id)).toEqual(['Demo Requested', 'Identified', 'Identified', 'Webinar Attended']);
        expect(await names(alice.id)).toEqual(['File Downloaded', 'Form Submitted', 'Identified', 'Identified', 'Webinar Registered']);
        // Each score counts exactly its own events.
        expect((await store.getLead(ws.id, dave.id))!.engagement).toBeCloseTo(50, 0);
        expect((await store.getLead(ws.id, alice.id))!.engagement).toBeCloseTo(25, 0);
      });

      it('makes a new lead of a new email typed on a known visitor’s device, leaving the first lead as it was', async () => {
        const { dave } = await daveAndAlice();
        const before = await snapshot(dave.id);
        await ingest([identify('guest@acme.test', 'v-dave'), event({ anonymousId: 'v-dave', type: 'track', event: 'Demo Requested' })]);
        const guest = (await leadOf('guest@acme.test'))!;
        expect(guest.id).not.toBe(dave.id);
        expect((await store.timeline(ws.id, guest.id, { limit: 10 })).events.map((e) => e.name).sort()).toEqual(['Demo Requested', 'Identified']);
        expect(await snapshot(dave.id)).toEqual(before);
      });

      it('gives a user id’s lead the new email an identify names with it (an account changed its address)', async () => {
        await ingest([event({ type: 'identify', anonymousId: undefined, userId: 'u-7', traits: { email: 'old@acme.test' } })]);
        await ingest([event({ type: 'identify', anonymousId: undefined, userId: 'u-7', traits: { email: 'new@acme.test' } })]);
        expect((await leadOf('new@acme.test'))?.id).toBe((await leadOf('old@acme.test'))?.id);
      });

      it('never merges two known leads named by one server-side call (userId one email, traits another)', async () => {
        const { alice, dave } = await daveAndAlice();
        await ingest([event({ type: 'identify', anonymousId: undefined, userId: 'alice@acme.test', traits: { email: 'dave@acme.test' } })]);
        expect((await leadOf('dave@acme.test'))?.id).toBe(dave.id);
        expect((await leadOf('alice@acme.test'))?.id).toBe(alice.id);
      });

      it('merges lead X into lead Y when a rep says so: events, ids and history move, the rep’s values win', async () => {
        await ingest([identify('y@acme.test', 'vy', { traits: { email: 'y@acme.test', title: 'CTO' } }), event({ anonymousId: 'vy', type: 'track', event: 'Webinar Registered' })]);
        await ingest([identify('x@acme.test', 'vx'), event({ anonymousId: 'vx', type: 'track', event: 'Webinar Attended' })]);
        const x = (await leadOf('x@acme.test'))!;
        const y = (await leadOf('y@acme.test'))!;
        await store.patchLead(ws.id, y.id, { name: 'Yan', attributes: { industry: 'Software' }, rating: 3 }, actor, NOW);
        // X's tags are newer, and one of them is a rep's where Y has only a trait: that one is taken.
        await store.patchLead(ws.id, x.id, { attributes: { industry: 'Retail', jobTitle: 'Head of Sales', budget: true }, rating: 10, stage: 'SQL', outcome: 'lost' }, { name: 'Rob (tok_rob)' }, NOW + 1);
        await store.patchLead(ws.id, y.id, { outcome: 'won' }, actor, NOW + 2);

        const write = await store.mergeLeads(ws.id, y.id, x.id, actor, NOW + 1000, { key: 'merge-1', requestHash: 'h' });
        expect(write!.replayed).toBe(false);
        const merged = write!.lead;
        expect(await store.getLead(ws.id, x.id)).toBeUndefined();
        expect((await leadOf('x@acme.test'))?.id).toBe(y.id);
        expect((await store.findLeadByVisitor(ws.id, 'vx'))?.id).toBe(y.id);
        expect(merged).toMatchObject({ email: 'y@acme.test', name: 'Yan', outcome: 'won', stage: 'Customer' });
        expect(merged.attributes.industry).toMatchObject({ value: 'Software', setBy: actor.name });
        expect(merged.attributes.rating).toMatchObject({ value: 3, setBy: actor.name });
        expect(merged.attributes.jobTitle).toMatchObject({ value: 'Head of Sales', setBy: 'Rob (tok_rob)' });
        expect(merged.attributes.budget).toMatchObject({ value: true });
        const names = (await store.timeline(ws.id, y.id, { limit: 50 })).events.map((e) => e.name).sort();
        expect(names).toEqual(['Identified', 'Identified', 'Webinar Attended', 'Webinar Registered']);
        const history = await store.stageHistory(ws.id, y.id);
        expect(history.filter((s) => s.to === 'SQL' && s.reason.includes('Rob'))).toHaveLength(1);
        expect(history.at(-1)).toMatchObject({ from: 'Customer', to: 'Customer', reason: `merged with lead ${x.id} by ${actor.name}`, at: NOW + 1000 });
        // Webinar attended (20, from X) + registered (10, from Y) now count on Y.
        expect(merged.engagement).toBeCloseTo(30, 0);
        const dump = await h.dump();
        expect(JSON.stringify([dump.leads, dump.identities, dump.events])).not.toContain(x.id);

        const replay = await store.mergeLeads(ws.id, y.id, x.id, actor, NOW + 2000, { key: 'merge-1', requestHash: 'h' });
        expect(replay).toMatchObject({ replayed: true, lead: { id: y.id } });
      });

      it('refuses a merge into itself or across workspaces, writing nothing', async () => {
        const { alice, dave } = await daveAndAlice();
        const globex = await store.createWorkspace('Globex', NOW);
        const before = await h.dump();
        await expect(store.mergeLeads(ws.id, alice.id, alice.id, actor, NOW)).rejects.toMatchObject({ kind: 'invalid', code: 'merge_into_itself' });
        expect(await store.mergeLeads(globex.id, alice.id, dave.id, actor, NOW)).toBeUndefined();
        expect(await store.mergeLeads(ws.id, alice.id, 'ld_nope', actor, NOW)).toBeUndefined();
        expect(await store.mergeLeads(ws.id, 'ld_nope', alice.id, actor, NOW)).toBeUndefined();
        expect(await h.dump()).toEqual(before);
      });

      it('erases a merged lead without touching a lead that shared a visitor with it', async () => {
        await ingest([identify('carl@acme.test', 'v-kiosk'), event({ anonymousId: 'v-kiosk', type: 'track', event: 'Webinar Attended' })]);
        await ingest([identify('x@acme.test', 'v-kiosk'), event({ anonymousId: 'v-kiosk', type: 'track', event: 'Demo Requested' })]);
        await ingest([identify('y@acme.test', 'vy')]);
        const carl = (await leadOf('carl@acme.test'))!;
        const x = (await leadOf('x@acme.test'))!;
        const y = (await leadOf('y@acme.test'))!;
        const carlBefore = await snapshot(carl.id);
        await store.mergeLeads(ws.id, y.id, x.id, actor, NOW);
        expect(await store.eraseLead(ws.id, y.id)).toMatchObject({ events: 3 });
        expect(await snapshot(carl.id)).toEqual(carlBefore);
        expect(await leadOf('x@acme.test')).toBeUndefined();
      });

      it('finds leads by email (case-insensitive, trimmed), visitor and LinkedIn URL in any common form', async () => {
        const { lead } = await store.createLead(ws.id, { email: 'Eve@Acme.test', linkedinUrl: 'https://de.linkedin.com/in/Eve-Ng/?trk=x' }, actor, NOW);
        expect(lead.linkedinUrl).toBe('https://www.linkedin.com/in/eve-ng');
        expect((await store.findLeadsByEmails(ws.id, ['  EVE@acme.TEST'])).get('eve@acme.test')?.id).toBe(lead.id);
        for (const url of ['linkedin.com/in/eve-ng', 'http://www.linkedin.com/in/EVE-NG#about', 'https://www.linkedin.com/in/eve-ng/']) {
          expect((await store.lookUpLeads(ws.id, { emails: [], linkedinUrls: [url], externalIds: [] })).byLinkedin.get('https://www.linkedin.com/in/eve-ng')?.id).toBe(lead.id);
        }
        expect((await store.lookUpLeads(ws.id, { emails: [], linkedinUrls: ['https://www.linkedin.com/company/eve'], externalIds: [] })).byLinkedin.size).toBe(0);
      });

      it('looks up leads by email, LinkedIn URL and external id in one read, each with its account line', async () => {
        const { lead: eve } = await store.createLead(ws.id, { email: 'Eve@Acme-Robotics.com', linkedinUrl: 'https://www.linkedin.com/in/eve-ng' }, actor, NOW);
        const { lead: gus } = await store.createLead(ws.id, { email: 'gus@gmail.com' }, actor, NOW);
        const found = await store.lookUpLeads(ws.id, { emails: ['  EVE@acme-robotics.com', 'gus@gmail.com', 'nobody@acme-robotics.com'], linkedinUrls: ['linkedin.com/in/EVE-NG', 'not a url'], externalIds: ['crm-404'] });
        expect([...found.byEmail].map(([email, lead]) => [email, lead.id])).toEqual(expect.arrayContaining([['eve@acme-robotics.com', eve.id], ['gus@gmail.com', gus.id]]));
        expect(found.byEmail.size).toBe(2);
        expect([...found.byLinkedin].map(([url, lead]) => [url, lead.id])).toEqual([['https://www.linkedin.com/in/eve-ng', eve.id]]);
        expect(found.byExternalId.size).toBe(0);
        // Gus (free mail) is in no account; Eve's line is her account's summary as stored.
        const account = (await store.getAccount(ws.id, eve.accountId!))!;
        expect(found.byEmail.get('gus@gmail.com')!.accountId).toBeNull();
        expect([...found.accounts]).toEqual([[account.id, { id: account.id, name: account.name, domain: 'acme-robotics.com', score: account.score, tier: account.tier, peopleEngaged: account.peopleEngaged }]]);
        expect(found.byEmail.get('eve@acme-robotics.com')).toEqual(await store.getLead(ws.id, eve.id));
      });

      it("fills name and attributes from identify traits, never over a rep's tag", async () => {
        const { lead } = await store.createLead(ws.id, { email: 'fay@acme.test', attributes: { industry: 'Retail' } }, actor, NOW);
        await ingest([identify('fay@acme.test', 'vf', { traits: { email: 'fay@acme.test', firstName: 'Fay', lastName: 'Ro', title: 'CTO', industry: 'Software' } })]);
        const after = (await store.getLead(ws.id, lead.id))!;
        expect(after.name).toBe('Fay Ro');
        expect(after.attributes.jobTitle).toMatchObject({ value: 'CTO', setBy: 'identify' });
        expect(after.attributes.industry).toMatchObject({ value: 'Retail', setBy: actor.name });
      });
    });

    describe('scores', () => {
      const history = (email: string) => [
        identify(email, 'vs', { ago: 10 * 86_400_000 }),
        event({ anonymousId: 'vs', context: { page: { path: '/pricing' } }, ago: 9 * 86_400_000 }),
        event({ anonymousId: 'vs', type: 'track', event: 'Webinar Registered', ago: 5 * 86_400_000 }),
        event({ anonymousId: 'vs', type: 'track', event: 'Webinar Attended', ago: 2 * 86_400_000 }),
      ];

      /** What the engine says about this history from scratch, for a lead with a business email. */
      const fromScratch = (model: ScoringModel, events: TrackedEvent[]) =>
        scoreLead(
          model,
          { attributes: { emailDomainType: 'business' }, stage: 'Prospect' },
          events.map((e) => ({ event: scorableName(e), properties: e.type === 'page' ? { path: e.context!.page!.path } : e.type === 'identify' ? e.traits : {}, at: Date.parse(e.timestamp) })),
          NOW,
        );

      it('keeps the stored score equal to the engine scoring the whole history from scratch', async () => {
        const events = history('gil@acme.test');
        for (const e of events) await ingest([e]);
        const lead = (await leadOf('gil@acme.test'))!;
        const expected = fromScratch(DEFAULT_MODEL, events);
        expect(lead.score).toBeCloseTo(expected.score, 6);
        expect(lead.tier).toBe(expected.tier);
        expect(lead.grade).toBe(expected.grade);
      });

      it('records each stage change with its time and reason', async () => {
        await ingest(history('hal@acme.test'));
        const lead = (await leadOf('hal@acme.test'))!;
        await store.patchLead(ws.id, lead.id, { outcome: 'won' }, actor, NOW + 5);
        const changes = await store.stageHistory(ws.id, lead.id);
        expect(changes[0]).toMatchObject({ from: null, to: 'Prospect' });
        expect(changes.at(-1)).toMatchObject({ to: 'Customer', at: NOW + 5 });
        expect(changes.at(-1)!.reason).toMatch(/won/);
        expect((await store.getLead(ws.id, lead.id))!.stage).toBe('Customer');
      });

      it('rescores every lead when the model changes, rebuilding aggregates whose event rules changed', async () => {
        const events = history('ida@acme.test');
        await ingest(events);
        await ingest([identify('jon@acme.test', 'vj')]);
        const before = (await leadOf('ida@acme.test'))!;
        const pointsOnly: ScoringModel = structuredClone(DEFAULT_MODEL);
        pointsOnly.engagement.rules.find((r) => r.id === 'webinar-attended')!.points = 40;
        const put = await putModelAndRescore(store, ws.id, pointsOnly, actor, NOW);
        expect(put).toMatchObject({ job: { state: 'done', done: 2, total: 2 }, model: { version: DEFAULT_MODEL.version + 1 } });
        const afterPoints = (await leadOf('ida@acme.test'))!;
        expect(afterPoints.engagement).toBeGreaterThan(before.engagement + 10);
        expect(afterPoints.score).toBeCloseTo(fromScratch(pointsOnly, events).score, 6);

        const newMatching: ScoringModel = structuredClone(pointsOnly);
        newMatching.engagement.rules.find((r) => r.id === 'pricing-page')!.where = [{ prop: 'path', op: 'glob', pattern: '/nothing*' }];
        await putModelAndRescore(store, ws.id, newMatching, actor, NOW);
        const afterRules = (await leadOf('ida@acme.test'))!;
        expect(afterRules.engagement).toBeLessThan(afterPoints.engagement);
        expect(afterRules.engagement).toBeCloseTo(fromScratch(newMatching, events).engagement, 6);
        expect((await store.currentModel(ws.id)).model.version).toBe(DEFAULT_MODEL.version + 2);
      });
    });

    describe('leads', () => {
      it('creates a lead with provenance, and refuses an email or LinkedIn URL that has one', async () => {
        const { lead, replayed } = await store.createLead(ws.id, { email: 'kim@gmail.com', name: 'Kim', attributes: { budget: true } }, actor, NOW);
        expect(replayed).toBe(false);
        expect(lead.attributes.budget).toEqual({ value: true, setBy: actor.name, setAt: NOW });
        expect(lead.attributes.emailDomainType).toMatchObject({ value: 'free', setBy: 'system' });
        await expect(store.createLead(ws.id, { email: 'KIM@gmail.com' }, actor, NOW)).rejects.toMatchObject({ kind: 'conflict', code: 'lead_exists' });
        await store.createLead(ws.id, { linkedinUrl: 'https://www.linkedin.com/in/kim' }, actor, NOW);
        await expect(store.createLead(ws.id, { linkedinUrl: 'linkedin.com/in/KIM/' }, actor, NOW)).rejects.toMatchObject({ kind: 'conflict' });
      });

      it('patches attributes, rating, name and LinkedIn URL, and rescores', async () => {
        const { lead } = await store.createLead(ws.id, { email: 'lu@acme.test' }, actor, NOW);
        const write = await store.patchLead(ws.id, lead.id, { attributes: { budget: true, decisionMaker: true, industry: 'Software' }, rating: 9 }, actor, NOW + 1);
        expect(write!.lead.fit).toBeGreaterThan(lead.fit + 30);
        expect(write!.lead.attributes.rating).toEqual({ value: 9, setBy: actor.name, setAt: NOW + 1 });
        const cleared = await store.patchLead(ws.id, lead.id, { attributes: { industry: null }, rating: null, linkedinUrl: 'https://www.linkedin.com/in/lu' }, actor, NOW + 2);
        expect(cleared!.lead.attributes.industry).toBeUndefined();
        expect(cleared!.lead.attributes.rating).toBeUndefined();
        expect((await store.lookUpLeads(ws.id, { emails: [], linkedinUrls: ['https://www.linkedin.com/in/lu'], externalIds: [] })).byLinkedin.get('https://www.linkedin.com/in/lu')?.id).toBe(lead.id);
        const { lead: other } = await store.createLead(ws.id, { email: 'mo@acme.test' }, actor, NOW);
        await expect(store.patchLead(ws.id, other.id, { linkedinUrl: 'https://www.linkedin.com/in/LU' }, actor, NOW)).rejects.toMatchObject({ kind: 'conflict', code: 'linkedin_taken' });
        await expect(store.patchLead(ws.id, other.id, { linkedinUrl: 'https://example.com/in/lu' }, actor, NOW)).rejects.toMatchObject({ kind: 'invalid' });
      });

      it('applies a patch once per Idempotency-Key, and refuses the key for another request', async () => {
        const { lead } = await store.createLead(ws.id, { email: 'ned@acme.test' }, actor, NOW);
        const key = { key: 'offline-edit-1', requestHash: 'h1' };
        const first = await store.patchLead(ws.id, lead.id, { stage: 'SQL' }, actor, NOW + 1, key);
        await store.patchLead(ws.id, lead.id, { stage: 'MQL' }, actor, NOW + 2);
        const replay = await store.patchLead(ws.id, lead.id, { stage: 'SQL' }, actor, NOW + 3, key);
        expect(first!.replayed).toBe(false);
        expect(replay!.replayed).toBe(true);
        expect(replay!.lead.stage).toBe('MQL');
        expect((await store.stageHistory(ws.id, lead.id)).map((s) => s.to)).toEqual(['Prospect', 'SQL', 'MQL']);
        await expect(store.patchLead(ws.id, lead.id, { stage: 'SQL' }, actor, NOW, { key: 'offline-edit-1', requestHash: 'other' })).rejects.toMatchObject({
          kind: 'unprocessable',
          code: 'idempotency_key_reused',
        });
      });

      it("never shows one workspace's leads to another", async () => {
        const globex = await store.createWorkspace('Globex', NOW);
        const { lead } = await store.createLead(ws.id, { email: 'ola@acme.test', linkedinUrl: 'https://www.linkedin.com/in/ola' }, actor, NOW);
        await ingest([identify('ola@acme.test', 'vo')]);
        expect(await store.getLead(globex.id, lead.id)).toBeUndefined();
        expect((await store.findLeadsByEmails(globex.id, ['ola@acme.test'])).size).toBe(0);
        expect((await store.lookUpLeads(globex.id, { emails: [], linkedinUrls: ['https://www.linkedin.com/in/ola'], externalIds: [] })).byLinkedin.size).toBe(0);
        expect(await store.findLeadByVisitor(globex.id, 'vo')).toBeUndefined();
        expect(await store.patchLead(globex.id, lead.id, { rating: 1 }, actor, NOW)).toBeUndefined();
        expect(await store.eraseLead(globex.id, lead.id)).toBeUndefined();
        expect((await store.timeline(globex.id, lead.id, { limit: 10 })).events).toEqual([]);
        expect(await store.stageHistory(globex.id, lead.id)).toEqual([]);
        expect(await store.leadsByScore(globex.id, { minScore: 0, offset: 0, limit: 10 })).toEqual([]);
        expect(await store.getLead(ws.id, lead.id)).toBeDefined();
      });

      it('pages through a timeline newest first without gaps or repeats', async () => {
        const events = Array.from({ length: 7 }, (_, i) => event({ anonymousId: 'vp', ago: (i % 3) * 1000 }));
        await ingest([identify('pat@acme.test', 'vp', { ago: 5000 }), ...events]);
        const lead = (await leadOf('pat@acme.test'))!;
        const seen: string[] = [];
        let before;
        do {
          const page: Awaited<ReturnType<Store['timeline']>> = await store.timeline(ws.id, lead.id, { before, limit: 3 });
          seen.push(...page.events.map((e) => e.id));
          for (let i = 1; i < page.events.length; i++) expect(page.events[i - 1]!.at).toBeGreaterThanOrEqual(page.events[i]!.at);
          before = page.next ?? undefined;
        } while (before);
        expect(new Set(seen).size).toBe(8);
      });

      it('lists leads by stored score, highest first', async () => {
        const scores: LeadRecord[] = [];
        for (const email of ['q1@acme.test', 'q2@gmail.com', 'q3@acme.test']) scores.push((await store.createLead(ws.id, { email }, actor, NOW)).lead);
        await store.patchLead(ws.id, scores[2]!.id, { attributes: { budget: true } }, actor, NOW);
        const listed = await store.leadsByScore(ws.id, { minScore: 0, offset: 0, limit: 10 });
        expect(listed[0]!.id).toBe(scores[2]!.id);
        expect(listed.map((l) => l.score)).toEqual([...listed.map((l) => l.score)].sort((a, b) => b - a));
        expect(await store.leadsByScore(ws.id, { minScore: 1000, offset: 0, limit: 10 })).toEqual([]);
      });
    });

    describe('erase', () => {
      it('leaves nothing of the lead in any table', async () => {
        await ingest([event({ anonymousId: 'v-erase', context: { page: { path: '/pricing' } } })]);
        await ingest([identify('Zed@Acme.test', 'v-erase', { traits: { email: 'Zed@Acme.test', name: 'Zed Secretname' } })]);
        await ingest([event({ anonymousId: undefined, userId: 'zed@acme.test', type: 'track', event: 'Webinar Attended' })]);
        const lead = (await leadOf('zed@acme.test'))!;
        await store.patchLead(ws.id, lead.id, { linkedinUrl: 'https://www.linkedin.com/in/zed', stage: 'MQL' }, actor, NOW, { key: 'k-zed', requestHash: 'h' });
        await ingest([identify('keep@acme.test', 'v-keep')]);

        const erased = await store.eraseLead(ws.id, lead.id);
        expect(erased).toMatchObject({ events: 3 });
        const text = JSON.stringify(await h.dump()).toLowerCase();
        for (const trace of [lead.id.toLowerCase(), 'zed@acme.test', 'v-erase', 'secretname', 'linkedin.com/in/zed', 'k-zed']) expect(text).not.toContain(trace);
        expect(text).toContain('keep@acme.test');
        expect(await store.getLead(ws.id, lead.id)).toBeUndefined();
        expect(await store.eraseLead(ws.id, lead.id)).toBeUndefined();
      });
    });
  });
}
