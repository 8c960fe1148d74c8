// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../extension/background/api';
import { LeadCache } from '../../../extension/background/cache';
import { openLeadscoreDb } from '../../../extension/background/db';
import { LookupService } from '../../../extension/background/lookups';
import { SettingsStore } from '../../../extension/background/settings';
import type { LeadKey } from '../../../extension/keys';
import { startFakeBackend, type FakeBackend } from '../support/backend';
import { makeLead } from '../support/leads';

const MINUTE = 60_000;
let dbCount = 0;
let backend: FakeBackend;
let clock: number;

const alice = makeLead({ id: 'alice', email: 'alice@acme.example', score: 50 });
const bob = makeLead({ id: 'bob', email: 'bob@acme.example', score: 30, linkedinUrl: 'https://www.linkedin.com/in/bob' });

async function stack(batchWindowMs = 10) {
  const db = openLeadscoreDb(`cache-${dbCount++}`);
  const settings = new SettingsStore(db);
  await settings.save(backend.url, backend.token);
  const cache = new LeadCache(db, { freshMs: 5 * MINUTE, maxAgeMs: 60 * MINUTE });
  const revalidated: { key: LeadKey; score: number | null }[][] = [];
  const lookups = new LookupService(cache, new ApiClient(() => settings.get()), {
    batchWindowMs,
    now: () => clock,
    onRevalidated: (entries) => revalidated.push(entries.map((e) => ({ key: e.key, score: e.lead?.score ?? null }))),
  });
  return { cache, lookups, revalidated };
}

const leadRequests = () => backend.state.requests.filter((r) => r.startsWith('GET /api/leads'));
const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

beforeEach(async () => {
  clock = Date.parse('2025-11-20T10:00:00Z');
  backend = await startFakeBackend({ leads: [alice, bob] });
});
afterEach(() => backend.close());

describe('lead cache freshness (stale-while-revalidate)', () => {
  it('answers a fresh entry from IndexedDB without asking the backend', async () => {
    const { lookups } = await stack();
    expect(await lookups.lookup(['email:alice@acme.example'])).toEqual({ 'email:alice@acme.example': alice });
    clock += 4 * MINUTE;
    expect((await lookups.lookup(['email:alice@acme.example']))['email:alice@acme.example']?.score).toBe(50);
    expect(leadRequests()).toHaveLength(1);
  });

  it('answers a stale entry at once, then revalidates it and reports what changed', async () => {
    const { lookups, revalidated } = await stack();
    await lookups.lookup(['email:alice@acme.example', 'email:bob@acme.example']);
    backend.state.leads.get('alice')!.score = 77;
    // The backend scores at read time: scoredAt moves even when nothing a rep sees changed.
    backend.state.leads.get('bob')!.scoredAt = new Date(clock + 6 * MINUTE).toISOString();
    clock += 6 * MINUTE;
    const answer = await lookups.lookup(['email:alice@acme.example', 'email:bob@acme.example']);
    expect(answer['email:alice@acme.example']?.score).toBe(50);
    await waitFor(() => revalidated.length === 1);
    // Bob was asked again too, but only Alice changed.
    expect(revalidated[0]).toEqual([{ key: 'email:alice@acme.example', score: 77 }]);
    expect(leadRequests()).toHaveLength(2);
    // The revalidated value is now fresh.
    expect((await lookups.lookup(['email:alice@acme.example']))['email:alice@acme.example']?.score).toBe(77);
    expect(leadRequests()).toHaveLength(2);
  });

  it('waits for the backend when an entry is older than the maximum age', async () => {
    const { lookups } = await stack();
    await lookups.lookup(['email:alice@acme.example']);
    backend.state.leads.get('alice')!.score = 90;
    clock += 61 * MINUTE;
    expect((await lookups.lookup(['email:alice@acme.example']))['email:alice@acme.example']?.score).toBe(90);
  });

  it('remembers "not a lead" too, so unknown senders are not asked for on every screen', async () => {
    const { lookups } = await stack();
    expect(await lookups.lookup(['email:nobody@x.example'])).toEqual({ 'email:nobody@x.example': null });
    expect(await lookups.lookup(['email:nobody@x.example'])).toEqual({ 'email:nobody@x.example': null });
    expect(leadRequests()).toHaveLength(1);
  });

  it('stores a saved lead under every key it has', async () => {
    const { cache } = await stack();
    await cache.writeLead({ ...bob, score: 64 }, clock);
    const hits = await cache.read(['email:bob@acme.example', 'li:https://www.linkedin.com/in/bob'], clock);
    expect([...hits.values()].map((h) => [h.lead?.score, h.fresh])).toEqual([
      [64, true],
      [64, true],
    ]);
  });

  it('leaves keys out of the answer (rather than calling them non-leads) when the backend is down', async () => {
    const { lookups } = await stack();
    backend.state.down = true;
    expect(await lookups.lookup(['email:alice@acme.example'])).toEqual({});
    backend.state.down = false;
    expect(await lookups.lookup(['email:alice@acme.example'])).toEqual({ 'email:alice@acme.example': alice });
  });
});

describe('lookup batching', () => {
  it('coalesces lookups from several tabs in one window into one request', async () => {
    const { lookups } = await stack(20);
    const answers = await Promise.all([
      lookups.lookup(['email:alice@acme.example', 'email:x@y.example']),
      lookups.lookup(['email:bob@acme.example', 'email:alice@acme.example']),
      lookups.lookup(['email:z@y.example']),
    ]);
    expect(leadRequests()).toHaveLength(1);
    const asked = new URL(leadRequests()[0]!.slice(4), 'http://x').searchParams.get('email')!.split(',');
    expect(asked.sort()).toEqual(['alice@acme.example', 'bob@acme.example', 'x@y.example', 'z@y.example']);
    expect(answers[1]).toEqual({ 'email:bob@acme.example': bob, 'email:alice@acme.example': alice });
    expect(lookups.requests).toBe(1);
  });

  it('splits a screen of 150 addresses into requests of at most 100', async () => {
    const { lookups } = await stack();
    const keys = Array.from({ length: 150 }, (_, i) => `email:p${i}@many.example` as LeadKey);
    const answer = await lookups.lookup(keys);
    expect(Object.keys(answer)).toHaveLength(150);
    expect(leadRequests().map((r) => r.split(',').length).sort()).toEqual([100, 50]);
  });

  it('looks LinkedIn profiles up by URL, in the same request as the addresses', async () => {
    const { lookups } = await stack();
    expect(await lookups.lookup(['li:https://www.linkedin.com/in/bob', 'email:alice@acme.example'])).toEqual({ 'li:https://www.linkedin.com/in/bob': bob, 'email:alice@acme.example': alice });
    expect(leadRequests()).toEqual([`GET /api/leads?email=alice%40acme.example&linkedin=${encodeURIComponent('https://www.linkedin.com/in/bob')}`]);
  });
});
