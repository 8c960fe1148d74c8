import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ChallengerReport, ChallengerResponse, compileModel, DEFAULT_MODEL, ModelPutResponse } from '../../../shared/index';
import { SqliteStore } from '../../../backend/src/store/sqlite/sqlite-store';
import { knownAnswerRows } from '../../support/known-answer';
import { runTs } from '../support/spawn';
import { NOW, tempDir } from '../support/app';

const LEADS = 700;

describe('npm run leadscore -- challenger', () => {
  it('sets a challenger (waiting for its shadow scores), shows it, reports on outcomes since the start, and promotes it', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'challenger.db');
    const store = await SqliteStore.open(db);
    const workspace = await store.createWorkspace('Acme', NOW);
    const site = await store.createSite(workspace.id, ['https://acme.test'], NOW);
    await store.close();
    const raw = new BetterSqlite3(db);
    const insert = (table: string, rows: object[]) => {
      const columns = Object.keys(rows[0]!);
      const statement = raw.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
      raw.transaction(() => rows.forEach((row) => statement.run(row)))();
    };
    for (const block of knownAnswerRows({ seed: 7, leads: LEADS, now: NOW }, { workspaceId: workspace.id, siteId: site.id }, compileModel(DEFAULT_MODEL))) {
      insert('leads', block.leads);
      insert('events', block.events);
    }
    raw.close();
    const file = join(tmp.dir, 'engagement-only.json');
    writeFileSync(file, JSON.stringify({ ...DEFAULT_MODEL, name: 'Engagement only', fit: { ...DEFAULT_MODEL.fit, rules: [] } }));
    const cli = (...args: string[]) => runTs('backend/src/cli.ts', ['challenger', ...args, '--db', db]);

    const set = await cli('set', file, '--json');
    expect(set.code, set.stderr).toBe(0);
    expect(ChallengerResponse.parse(JSON.parse(set.stdout)).job).toMatchObject({ kind: 'shadow', state: 'done', progress: { done: LEADS, total: LEADS } });

    const shown = await cli('show');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/challenger "Engagement only" since \S+ \(set by cli\); shadow job job_\S+ done: 700\/700 leads/);

    // The known-answer outcomes are all dated before the challenger started: none of them counts.
    const report = await cli('report', '--json');
    expect(report.code, report.stderr).toBe(0);
    expect(ChallengerReport.parse(JSON.parse(report.stdout))).toMatchObject({ leads: 0, champion: { auc: null }, challenger: { auc: null } });
    const text = await cli('report');
    expect(text.stdout).toMatch(/^Champion vs challenger: 0 outcomes since /);

    const promoted = await cli('promote', '--json');
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(ModelPutResponse.parse(JSON.parse(promoted.stdout))).toMatchObject({
      model: { name: 'Engagement only', version: DEFAULT_MODEL.version + 1 },
      job: { kind: 'rescore', state: 'done', progress: { done: LEADS, total: LEADS } },
    });
    expect((await cli('show')).stdout).toContain('no challenger');
    const again = await cli('stop');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('the workspace has no challenger');

    writeFileSync(file, JSON.stringify({ ...DEFAULT_MODEL, tiers: 'hot' }));
    const bad = await cli('set', file);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not a valid model: tiers:');
    tmp.remove();
  });
});
