// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LeadSummary } from '../../../shared/index';
import { ApiClient } from '../../../extension/background/api';
import { openLeadscoreDb, type LeadscoreDb } from '../../../extension/background/db';
import { backoffMs, TagQueue } from '../../../extension/background/queue';
import { SettingsStore } from '../../../extension/background/settings';
import { startFakeBackend, type FakeBackend } from '../support/backend';
import { makeLead } from '../support/leads';

let backend: FakeBackend;
let dbCount = 0;

function queueOn(db: Promise<LeadscoreDb>) {
  const settings = new SettingsStore(db);
  const saved: LeadSummary[] = [];
  const scheduled: number[] = [];
  let clock = 1_000_000;
  const queue = new TagQueue(db, new ApiClient(() => settings.get()), { onSaved: (lead) => void saved.push(lead), schedule: (at) => void scheduled.push(at - clock) }, { now: () => clock, random: () => 0.5 });
  return { queue, saved, scheduled, settings, tick: (ms: number) => (clock += ms) };
}

async function setup() {
  const db = openLeadscoreDb(`queue-${dbCount++}`);
  const q = queueOn(db);
  await q.settings.save(backend.url, backend.token);
  return { ...q, db };
}

beforeEach(async () => {
  backend = await startFakeBackend({ leads: [makeLead({ id: 'alice', score: 40 }), makeLead({ id: 'bob', score: 20 })] });
});
afterEach(() => backend.close());

describe('offline tag queue', () => {
  it('sends an edit at once when the backend is there', async () => {
    const { queue, saved } = await setup();
    const seq = await queue.enqueue('alice', { attributes: { industry: 'Software' } });
    await queue.flush();
    expect(queue.outcome(seq)).toMatchObject({ state: 'saved', lead: { id: 'alice', score: 41 } });
    expect(saved.map((l) => l.id)).toEqual(['alice']);
    expect((await queue.status()).pending).toEqual([]);
  });

  it('keeps edits made while the backend is down and replays them in order when it returns', async () => {
    const { queue, scheduled } = await setup();
    backend.state.down = true;
    await queue.enqueue('alice', { attributes: { industry: 'Software' } });
    await queue.flush();
    await queue.enqueue('bob', { attributes: { seniority: 'vp' } });
    await queue.flush();
    await queue.enqueue('alice', { attributes: { industry: 'Finance' }, rating: 8 });
    await queue.flush();
    const status = await queue.status();
    expect(status.pending.map((e) => [e.leadId, e.attempts])).toEqual([
      ['alice', 3],
      ['bob', 0],
      ['alice', 0],
    ]);
    expect(status.pending[0]!.lastError).toMatch(/Could not reach/);
    // 1 s, 2 s, 4 s: a timer or an alarm wakes the queue then.
    expect(scheduled).toEqual([1000, 2000, 4000]);

    backend.state.down = false;
    await queue.flush();
    expect(backend.state.applied.map((p) => [p.leadId, p.body])).toEqual([
      ['alice', { attributes: { industry: 'Software' } }],
      ['bob', { attributes: { seniority: 'vp' } }],
      ['alice', { attributes: { industry: 'Finance' }, rating: 8 }],
    ]);
    expect((await queue.status()).pending).toEqual([]);
  });

  it('applies an edit once when the answer was lost and the edit is replayed with its key', async () => {
    const { queue } = await setup();
    backend.state.dropNextPatchResponse = true;
    const seq = await queue.enqueue('alice', { attributes: { budget: true } });
    await queue.flush();
    expect(queue.outcome(seq).state).toBe('pending');
    await queue.flush();
    expect(queue.outcome(seq).state).toBe('saved');
    const patches = backend.state.requests.filter((r) => r.startsWith('PATCH'));
    expect(patches).toHaveLength(2);
    expect(backend.state.applied).toHaveLength(1);
    expect(backend.state.leads.get('alice')!.score).toBe(41);
  });

  it('survives the service worker being stopped: a new worker replays the same edits with the same keys', async () => {
    const name = `queue-${dbCount++}`;
    const first = queueOn(openLeadscoreDb(name));
    await first.settings.save(backend.url, backend.token);
    backend.state.down = true;
    await first.queue.enqueue('alice', { attributes: { decisionMaker: true } });
    await first.queue.flush();
    const keyBefore = (await (await openLeadscoreDb(name)).getAll('queue'))[0]!.idempotencyKey;

    backend.state.down = false;
    const second = queueOn(openLeadscoreDb(name));
    await second.queue.flush();
    expect(backend.state.applied.map((p) => [p.leadId, p.key])).toEqual([['alice', keyBefore]]);
  });

  it('runs one replay at a time: concurrent flushes never send an edit twice', async () => {
    const { queue } = await setup();
    for (let i = 0; i < 5; i++) await queue.enqueue(i % 2 ? 'bob' : 'alice', { rating: i });
    await Promise.all([queue.flush(), queue.flush(), queue.flush()]);
    expect(backend.state.requests.filter((r) => r.startsWith('PATCH'))).toHaveLength(5);
    expect(backend.state.applied.map((p) => p.body.rating)).toEqual([0, 1, 2, 3, 4]);
  });

  it('sets aside an edit the backend refuses for good, with the reason, and goes on with the rest', async () => {
    const { queue } = await setup();
    const gone = await queue.enqueue('deleted-lead', { rating: 3 });
    const next = await queue.enqueue('bob', { rating: 4 });
    await queue.flush();
    expect(queue.outcome(gone)).toEqual({ state: 'rejected', reason: 'No such lead.' });
    expect(queue.outcome(next).state).toBe('saved');
    const status = await queue.status();
    expect(status.rejected.map((r) => [r.leadId, r.reason])).toEqual([['deleted-lead', 'No such lead.']]);
  });

  it('keeps edits while the token is refused (it may be fixed in the options)', async () => {
    const { queue, settings } = await setup();
    await settings.save(backend.url, 'tok_wrong');
    const seq = await queue.enqueue('alice', { rating: 2 });
    await queue.flush();
    expect(queue.outcome(seq)).toMatchObject({ state: 'pending', lastError: 'Bad token.' });
    await settings.save(backend.url, backend.token);
    await queue.flush();
    expect(queue.outcome(seq).state).toBe('saved');
  });
});

describe('backoff', () => {
  it('doubles from one second to a minute, with jitter', () => {
    expect([1, 2, 3, 6, 7, 20].map((n) => backoffMs(n, () => 0.5))).toEqual([1000, 2000, 4000, 32000, 60000, 60000]);
    expect(backoffMs(1, () => 0)).toBe(800);
    expect(backoffMs(1, () => 1)).toBe(1200);
  });
});
