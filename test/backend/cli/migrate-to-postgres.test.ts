import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DECLARED_TABLES } from '../support/declared-tables';
import { SESSION_LIMITS } from '../../../backend/src/http/session';
import { WEBHOOK_EVENT_TYPES } from '../../../shared/index';
import { prepareEvents } from '../../../backend/src/domain/events';
import { JobRunner } from '../../../backend/src/jobs/job-runner';
import { PostgresStore } from '../../../backend/src/store/postgres/postgres-store';
import { SqliteStore } from '../../../backend/src/store/sqlite/sqlite-store';
import type { LeadRecord, Store } from '../../../backend/src/store/store';
import { DEFAULT_MODEL, type TrackedEvent } from '../../../shared/index';
import { hasPostgres } from '../../support/env';
import { testSchema } from '../support/postgres-schema';
import { scenario } from '../support/postgres-scenario';
import { dumpSqlite, NOW, tempDir } from '../support/app';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user would; `onStderr` sees its progress output as it arrives. */
function cli(args: string[], onStderr: (text: string) => void = () => {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/cli.ts', ...args], { cwd: join(import.meta.dirname, '../../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      onStderr(stderr);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A SQLite database with something in every table: leads, events, tokens, a session, stages, models, idempotency keys, settings, a challenger, webhooks. */
async function sqliteWithData(people: number) {
  const tmp = tempDir();
  cleanup.push(() => tmp.remove());
  const file = join(tmp.dir, 'leadscore.db');
  const store = await SqliteStore.open(file);
  const ws = await store.createWorkspace('Acme', NOW);
  const site = await store.createSite(ws.id, ['https://www.acme.test'], NOW);
  const { secret, token } = await store.createToken(ws.id, 'rep', 'Rita', NOW);
  await store.createSession(token.id, NOW, SESSION_LIMITS);
  // Subscribed before the traffic, so the changes below write webhook messages and deliveries.
  await store.webhooks.createEndpoint(ws.id, 'https://hooks.acme.test/leadscore', [...WEBHOOK_EVENT_TYPES], NOW);
  await store.setSetting('demo-site', site.key);
  const { batches, people: persons } = scenario(people, 3, NOW);
  for (const batch of batches) await store.ingest(site, prepareEvents(batch, NOW), NOW);
  const lead = (await store.findLeadsByEmails(ws.id, [persons[0]!.emails[0]!])).values().next().value!;
  await store.patchLead(ws.id, lead.id, { attributes: { budget: true }, rating: 9 }, { name: 'Rita' }, NOW, { key: 'k1', requestHash: 'h1' });
  await store.putModel(ws.id, DEFAULT_MODEL, { name: 'ops' }, NOW);
  // A challenger with its shadow scores (the shadow job run here; the rescore job too).
  await store.setChallenger(ws.id, { ...DEFAULT_MODEL, name: 'Challenger', fit: { ...DEFAULT_MODEL.fit, rules: [] } }, { name: 'ops' }, NOW);
  await new JobRunner(store, { now: () => NOW }).drain();
  await store.close();
  return { file, workspaceId: ws.id, siteKey: site.key, secret };
}

async function everyLead(store: Store, workspaceId: string): Promise<LeadRecord[]> {
  return store.leadsByScore(workspaceId, { minScore: 0, offset: 0, limit: 10_000 });
}

describe.runIf(await hasPostgres())('npm run leadscore -- migrate-to-postgres', () => {
  it('copies every table with a progress bar, verifies the counts, and the copy works as a store', async () => {
    const source = await sqliteWithData(12);
    const target = testSchema();
    cleanup.push(() => target.drop());

    const run = await cli(['migrate-to-postgres', '--from', source.file, '--to', target.url]);
    expect(run.stderr).toMatch(/\[#{30}\] 100% events \d+\/\d+/);
    expect(run.code).toBe(0);

    const sqliteRows = dumpSqlite(source.file);
    const tables = Object.keys(sqliteRows).filter((t) => !t.startsWith('kysely_') && !t.startsWith('sqlite_'));
    // Every table the schema declares (a table added without being copied would fail here).
    expect(tables.sort()).toEqual(DECLARED_TABLES);
    for (const table of tables) {
      const count = sqliteRows[table]!.length;
      expect(count, table).toBeGreaterThan(0);
      expect(run.stdout).toContain(`sqlite ${count}  postgres ${count}  ok`);
      expect((await target.query(`select * from "${table}"`)).length, table).toBe(count);
    }

    const shadow = (rows: Record<string, unknown>[]) => rows.map((r) => [r.id, r.shadow_score === null ? null : Number(r.shadow_score), r.shadow_tier]).sort();
    expect(shadow(sqliteRows.leads as Record<string, unknown>[]).filter(([, score]) => score !== null)).toHaveLength(sqliteRows.leads!.length);
    expect(shadow(await target.query('select id, shadow_score, shadow_tier from leads'))).toEqual(shadow(sqliteRows.leads as Record<string, unknown>[]));

    const sqlite = await SqliteStore.open(source.file);
    const postgres = await PostgresStore.open(target.url);
    cleanup.push(() => postgres.close(), () => sqlite.close());
    const leads = await everyLead(sqlite, source.workspaceId);
    expect(await everyLead(postgres, source.workspaceId)).toEqual(leads);
    for (const lead of leads) {
      expect(await postgres.timeline(source.workspaceId, lead.id, { limit: 100 })).toEqual(await sqlite.timeline(source.workspaceId, lead.id, { limit: 100 }));
      expect(await postgres.stageHistory(source.workspaceId, lead.id)).toEqual(await sqlite.stageHistory(source.workspaceId, lead.id));
    }
    expect((await postgres.findToken(source.secret))?.label).toBe('Rita');
    expect((await postgres.currentModel(source.workspaceId)).model.version).toBe(2);

    // Serial ids continue after the copied ones: new events and stage changes insert cleanly.
    const site = (await postgres.findSiteByKey(source.siteKey))!;
    const fresh: TrackedEvent = { type: 'identify', messageId: 'after-copy', timestamp: new Date(NOW).toISOString(), anonymousId: 'new-visitor', traits: { email: 'new@acme.test' } };
    expect(await postgres.ingest(site, prepareEvents([fresh], NOW), NOW)).toEqual({ accepted: 1, duplicates: 0 });
  });

  it('refuses to copy into a database that already has data, and changes nothing there', async () => {
    const source = await sqliteWithData(2);
    const target = testSchema();
    cleanup.push(() => target.drop());
    expect((await cli(['migrate-to-postgres', '--from', source.file, '--to', target.url])).code).toBe(0);
    const before = await target.dump();

    const again = await cli(['migrate-to-postgres', '--from', source.file, '--to', target.url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has rows');
    expect(await target.dump()).toEqual(before);
  });

  it('exits non-zero when the counts differ because the source was written during the copy', async () => {
    const source = await sqliteWithData(400);
    const target = testSchema();
    cleanup.push(() => target.drop());
    // A backend still running on the SQLite file accepts a batch while the copy is under way.
    const backend = await SqliteStore.open(source.file);
    cleanup.push(() => backend.close());
    const site = (await backend.findSiteByKey(source.siteKey))!;
    const late: TrackedEvent = { type: 'page', messageId: 'late', timestamp: new Date(NOW).toISOString(), anonymousId: 'late-visitor' };
    let wrote: Promise<unknown> | undefined;
    const run = await cli(['migrate-to-postgres', '--from', source.file, '--to', target.url], (stderr) => {
      if (!wrote && /% events /.test(stderr)) wrote = backend.ingest(site, prepareEvents([late], NOW), NOW);
    });
    expect(await wrote).toEqual({ accepted: 1, duplicates: 0 });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^events +sqlite (\d+) +postgres (\d+) +DIFFERENT$/m);
    expect(run.stderr).toContain('row counts differ in events');
  });

  it('explains its usage when the target is missing or not PostgreSQL', async () => {
    const missing = await cli(['migrate-to-postgres', '--from', 'data/nope.db']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--to <postgres:// URL>');
    const notPostgres = await cli(['migrate-to-postgres', '--from', 'data/nope.db', '--to', 'other.db']);
    expect(notPostgres.code).toBe(2);
  });
});
