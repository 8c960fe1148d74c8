import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../backend/src/store/sqlite/sqlite-store';
import { compileModel, ModelPutResponse, scoreLead, type LeadAttributes, type Outcome, type ScorableEvent, type ScoringModel, type Stage } from '../../shared/index';
import { NOW, tempDir } from '../backend/support/app';
import { dataset, rebuildingModel, type Dataset } from '../backend/support/rescore-data';
import { startBackend, type ServerProcess } from '../support/backend-server';
import { waitForJob } from '../support/jobs-http';

/** Enough leads for the rescore to run on worker threads and take a while: the kill must land in its middle. */
const LEADS = 40_000;
const EVENTS_PER_LEAD = 5;
/** Short, so the restarted server takes over the dead one's job soon. */
const JOB_LEASE_MS = '500';

/** The dataset's times moved to the present: the server rescores at its own clock, and decay must leave the events their weight. */
function presentDay(data: Dataset): Dataset {
  const shift = Date.now() - NOW;
  return {
    leads: data.leads.map((l) => ({ ...l, scored_at: l.scored_at + shift, created_at: l.created_at + shift, updated_at: l.updated_at + shift })),
    identities: data.identities,
    events: data.events.map((e) => ({ ...e, at: e.at + shift, received_at: e.received_at + shift })),
  };
}

function load(file: string, data: Dataset): void {
  const db = new BetterSqlite3(file);
  try {
    for (const [table, rows] of [['leads', data.leads], ['identities', data.identities], ['events', data.events]] as const) {
      const columns = Object.keys(rows[0]!);
      const insert = db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
      db.transaction(() => (rows as object[]).forEach((row) => insert.run(row)))();
    }
  } finally {
    db.close();
  }
}

/** How many leads a rescore started at `since` has written. */
function rescoredSince(file: string, since: number): number {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare('select count(*) from leads where scored_at >= ?').pluck().get(since) as number;
  } finally {
    db.close();
  }
}

/**
 * The leads whose stored score is not what the engine gives from scratch under `model`: its
 * events in storage order, its stage before the rescore, at the time the lead was scored.
 */
function mismatches(file: string, model: ScoringModel, stageBefore: Map<string, string>): string[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const compiled = compileModel(model);
    const events = new Map<string, ScorableEvent[]>();
    const rows = db.prepare('select lead_id, name, properties, at from events where lead_id is not null order by id').all() as { lead_id: string; name: string; properties: string | null; at: number }[];
    for (const e of rows) {
      const list = events.get(e.lead_id) ?? [];
      list.push({ event: e.name, properties: e.properties ? (JSON.parse(e.properties) as Record<string, unknown>) : undefined, at: e.at });
      events.set(e.lead_id, list);
    }
    type Row = { id: string; email: string | null; attributes: string; outcome: string | null; score: number; fit: number; engagement: number; tier: string; grade: string; stage: string; scored_at: number };
    const leads = db.prepare('select id, email, attributes, outcome, score, fit, engagement, tier, grade, stage, scored_at from leads').all() as Row[];
    return leads
      .filter((lead) => {
        const attributes = Object.fromEntries(Object.entries(JSON.parse(lead.attributes) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value])) as LeadAttributes;
        const input = { email: lead.email, attributes, stage: stageBefore.get(lead.id) as Stage, outcome: lead.outcome as Outcome | null };
        const want = scoreLead(compiled, input, events.get(lead.id) ?? [], lead.scored_at);
        return want.score !== lead.score || want.fit !== lead.fit || want.engagement !== lead.engagement || want.tier !== lead.tier || want.grade !== lead.grade || want.stage !== lead.stage;
      })
      .map((lead) => lead.id);
  } finally {
    db.close();
  }
}

describe('a backend killed with SIGKILL in the middle of a model change', () => {
  const tmp = tempDir();
  const file = join(tmp.dir, 'rescore-crash.db');
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop().catch(() => undefined);
    tmp.remove();
  });

  it('resumes the rescore job on restart, until every lead holds the new model\'s score from scratch', async () => {
    const store = await SqliteStore.open(file);
    const ws = await store.createWorkspace('Acme', Date.now());
    const site = await store.createSite(ws.id, ['https://acme.test'], Date.now());
    const { secret: admin } = await store.createToken(ws.id, 'admin', 'ops', Date.now());
    await store.close();
    const data = presentDay(dataset(61, { workspaceId: ws.id, siteId: site.id }, LEADS, EVENTS_PER_LEAD, { firstId: 1, idSpan: 10 * LEADS * EVENTS_PER_LEAD }));
    load(file, data);
    const stageBefore = new Map(data.leads.map((l) => [l.id, l.stage]));
    const model = rebuildingModel(62, false);

    const first = await startBackend(file, undefined, { JOB_LEASE_MS });
    servers.push(first);
    const since = Date.now();
    const response = await fetch(`${first.url}/api/model`, { method: 'PUT', headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' }, body: JSON.stringify(model) });
    expect(response.status).toBe(202);
    const put = ModelPutResponse.parse(await response.json());
    expect(response.headers.get('Location')).toBe(`/api/jobs/${put.job.id}`);

    // Kill as soon as the job has written some leads: most are still on the old model then.
    while (rescoredSince(file, since) === 0) await sleep(5);
    process.kill(first.pid, 'SIGKILL');
    await first.exited;
    const atKill = rescoredSince(file, since);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(LEADS);
    const wrongAtKill = mismatches(file, put.model, stageBefore).length;
    expect(wrongAtKill).toBeGreaterThan(0);

    const restarted = await startBackend(file, undefined, { JOB_LEASE_MS });
    servers.push(restarted);
    const job = await waitForJob(restarted.url, admin, put.job.id, 120_000);
    expect(job).toMatchObject({ state: 'done', modelVersion: put.model.version, progress: { done: LEADS, total: LEADS } });
    expect(mismatches(file, put.model, stageBefore)).toEqual([]);
    console.info(`rescore crash: ${atKill} of ${LEADS} leads rescored at the kill, ${wrongAtKill} not on the new model's score; after the restart: 0`);
  }, 240_000);
});
