import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BacktestReport, compileModel, DEFAULT_MODEL } from '../../../shared/index';
import { SqliteStore } from '../../../backend/src/store/sqlite/sqlite-store';
import { writeKnownAnswerSqlite } from '../../support/known-answer';
import { runTs } from '../support/spawn';
import { NOW, tempDir } from '../support/app';

describe('npm run leadscore -- backtest', () => {
  it('compares a model file with the current model, as text or JSON, and names a bad file', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'backtest.db');
    const store = await SqliteStore.open(db);
    const workspace = await store.createWorkspace('Acme', NOW);
    const site = await store.createSite(workspace.id, ['https://acme.test'], NOW);
    await store.close();
    writeKnownAnswerSqlite(db, { seed: 5, leads: 600, now: NOW }, { workspaceId: workspace.id, siteId: site.id }, compileModel(DEFAULT_MODEL));
    // The challenger drops every fit rule: engagement alone.
    const file = join(tmp.dir, 'engagement-only.json');
    writeFileSync(file, JSON.stringify({ ...DEFAULT_MODEL, name: 'Engagement only', fit: { ...DEFAULT_MODEL.fit, rules: [] } }));

    const json = await runTs('backend/src/cli.ts', ['backtest', '--model', 'current', '--vs', file, '--json', '--db', db]);
    expect(json.code, json.stderr).toBe(0);
    const report = BacktestReport.parse(JSON.parse(json.stdout));
    expect(report.models.map((m) => m.label)).toEqual(['current', 'Engagement only']);
    // The known truth depends on fit: dropping it must cost AUC.
    expect(report.comparison!.difference).toBeLessThan(0);

    const text = await runTs('backend/src/cli.ts', ['backtest', '--model', 'current', '--vs', file, '--db', db]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Backtest: ${report.leads} leads scored as of their outcome date`);
    expect(text.stdout).toMatch(/Engagement only vs current: AUC -0\.\d{3} \(95% -0\.\d{3} to [-+]0\.\d{3}\), \d+ leads change tier/);

    const missing = await runTs('backend/src/cli.ts', ['backtest', '--model', join(tmp.dir, 'nope.json'), '--db', db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read the model file');
    tmp.remove();
  });
});
