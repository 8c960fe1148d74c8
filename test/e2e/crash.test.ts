import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../backend/src/store/sqlite/sqlite-store';
import type { TrackedEvent } from '../../shared/index';
import { startBackend, type ServerProcess } from '../support/backend-server';

const ORIGIN = 'https://www.acme.test';
const CLIENTS = 8;
const EVENTS_PER_BATCH = 10;
/** Accepted batches to wait for before the kill, so the database holds real work when it dies. */
const ACCEPTED_BEFORE_KILL = 150;

interface SentBatch {
  events: TrackedEvent[];
  /** 'accepted': answered 202; 'unanswered': the server died before answering. */
  outcome: 'accepted' | 'unanswered';
}

/** A batch whose every event carries a unique `seq`, so a stored copy is recognisable whatever its id. */
function makeBatch(client: number, n: number): TrackedEvent[] {
  const timestamp = new Date().toISOString();
  return Array.from({ length: EVENTS_PER_BATCH }, (_, i): TrackedEvent => {
    const seq = `${client}-${n}-${i}`;
    const person = (client * 7 + n * 3 + i) % 60;
    const anonymousId = `visitor-${person}`;
    const messageId = `crash-${seq}-${Math.random().toString(36).slice(2)}`;
    if (i === 0 && n % 4 === 0) {
      // Identify calls make leads, join visitors to them and move visitors between leads, so the kill can land mid-way too.
      return { type: 'identify', messageId, timestamp, anonymousId, traits: { email: `person-${person % 40}@acme.test` }, properties: { seq } };
    }
    if (i % 3 === 0) return { type: 'track', messageId, timestamp, anonymousId, event: 'Webinar Registered', properties: { seq } };
    return { type: 'page', messageId, timestamp, anonymousId, context: { page: { path: i % 2 ? '/pricing' : '/' } }, properties: { seq } };
  });
}

function post(url: string, siteKey: string, events: TrackedEvent[]): Promise<Response> {
  return fetch(`${url}/collect`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: ORIGIN },
    body: JSON.stringify({ siteKey, batch: events }),
  });
}

/** Stored events as seq -> message ids holding it, read over a separate connection. */
function storedEvents(file: string): { bySeq: Map<string, string[]>; rows: number; integrity: string; orphans: number } {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const rows = db.prepare("select message_id, json_extract(properties, '$.seq') as seq from events").all() as { message_id: string; seq: string }[];
    const bySeq = new Map<string, string[]>();
    for (const row of rows) bySeq.set(row.seq, [...(bySeq.get(row.seq) ?? []), row.message_id]);
    const integrity = (db.prepare('pragma integrity_check').get() as { integrity_check: string }).integrity_check;
    const orphans = (db.prepare('select count(*) as n from events where lead_id is not null and lead_id not in (select id from leads)').get() as { n: number }).n;
    return { bySeq, rows: rows.length, integrity, orphans };
  } finally {
    db.close();
  }
}

const seqOf = (e: TrackedEvent) => (e.properties as { seq: string }).seq;

describe('a backend killed with SIGKILL under load', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'leadscore-crash-'));
  const file = join(tmp, 'crash.db');
  let siteKey: string;
  /** Both servers, stopped after: a client failing before the kill would leave the first one running. */
  const servers: ServerProcess[] = [];
  let restarted: ServerProcess | undefined;
  const sent: SentBatch[] = [];
  let inFlightAtKill = 0;
  let killedWith: NodeJS.Signals | null = null;

  beforeAll(async () => {
    const store = await SqliteStore.open(file);
    const workspace = await store.createWorkspace('Acme', Date.now());
    siteKey = (await store.createSite(workspace.id, [ORIGIN], Date.now())).key;
    await store.close();

    const first = await startBackend(file);
    servers.push(first);
    let accepted = 0;
    let inFlight = 0;
    let dead = false;
    let killed!: () => void;
    const enoughAccepted = new Promise<void>((resolve) => (killed = resolve));

    const client = async (c: number) => {
      for (let n = 0; !dead; n++) {
        const events = makeBatch(c, n);
        inFlight++;
        try {
          const response = await post(first.url, siteKey, events);
          const body = await response.text();
          if (response.status !== 202) throw new Error(`expected 202, got ${response.status}: ${body}`);
          sent.push({ events, outcome: 'accepted' });
          if (++accepted >= ACCEPTED_BEFORE_KILL) killed();
        } catch (error) {
          if (!dead) throw error;
          // Sent, never answered: the client does not know whether it was stored.
          sent.push({ events, outcome: 'unanswered' });
        } finally {
          inFlight--;
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));

    // A client that fails before the kill fails the test rather than leaving it waiting.
    await Promise.race([enoughAccepted, Promise.all(clients)]);
    // A little later still, at no particular moment: the kill lands wherever the server is.
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
    inFlightAtKill = inFlight;
    process.kill(first.pid, 'SIGKILL');
    dead = true;
    killedWith = (await first.exited).signal;
    await Promise.all(clients);

    restarted = await startBackend(file);
    servers.push(restarted);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('was killed mid-load', () => {
    expect(killedWith).toBe('SIGKILL');
    expect(sent.filter((b) => b.outcome === 'accepted').length).toBeGreaterThanOrEqual(ACCEPTED_BEFORE_KILL);
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(sent.some((b) => b.outcome === 'unanswered')).toBe(true);
  });

  it('keeps every event it answered 202 for, exactly once, and every batch whole or not at all', () => {
    const { bySeq, rows, integrity, orphans } = storedEvents(file);
    expect(integrity).toBe('ok');
    expect(orphans).toBe(0);

    const missing: string[] = [];
    const twice: string[] = [];
    let expectedRows = 0;
    for (const batch of sent) {
      const stored = batch.events.map((e) => bySeq.get(seqOf(e)) ?? []);
      for (const [i, ids] of stored.entries()) if (ids.length > 1) twice.push(seqOf(batch.events[i]!));
      const kept = stored.filter((ids, i) => ids.length === 1 && ids[0] === batch.events[i]!.messageId).length;
      if (batch.outcome === 'accepted') {
        if (kept !== batch.events.length) missing.push(...batch.events.filter((_, i) => stored[i]!.length === 0).map(seqOf));
      } else {
        // Unanswered: the transaction either committed or it did not.
        expect([0, batch.events.length]).toContain(kept);
      }
      expectedRows += kept;
    }
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
    // Nothing stored that no batch sent.
    expect(rows).toBe(expectedRows);
  });

  it('counts retried batches as duplicates after the restart, storing nothing twice', async () => {
    const before = storedEvents(file);
    const accepted = sent.filter((b) => b.outcome === 'accepted');
    const retried = [...accepted.filter((_, i) => i % 3 === 0), ...sent.filter((b) => b.outcome === 'unanswered')];
    let newlyStored = 0;
    for (const batch of retried) {
      const response = await post(restarted!.url, siteKey, batch.events);
      expect(response.status).toBe(202);
      const result = (await response.json()) as { accepted: number; duplicates: number };
      const wasStored = before.bySeq.has(seqOf(batch.events[0]!));
      expect(result).toEqual(wasStored ? { accepted: 0, duplicates: EVENTS_PER_BATCH } : { accepted: EVENTS_PER_BATCH, duplicates: 0 });
      newlyStored += result.accepted;
    }

    const after = storedEvents(file);
    expect(after.rows).toBe(before.rows + newlyStored);
    // Every batch ever sent is now stored, each event once: the tracker's retry completes the picture.
    expect(after.rows).toBe(sent.length * EVENTS_PER_BATCH);
    expect([...after.bySeq.values()].every((ids) => ids.length === 1)).toBe(true);
    expect((await fetch(`${restarted!.url}/healthz`)).status).toBe(200);
  });
});
