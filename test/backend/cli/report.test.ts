import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { compileModel, ConversionReport, DEFAULT_MODEL } from '../../../shared/index';
import { SqliteStore } from '../../../backend/src/store/sqlite/sqlite-store';
import { knownAnswerRows } from '../../support/known-answer';
import { runTs } from '../support/spawn';
import { NOW, tempDir } from '../support/app';

describe('npm run leadscore -- report', () => {
  it('prints the conversion report as a rep reads it, or as JSON, and refuses an empty period', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'report.db');
    const store = await SqliteStore.open(db);
    const workspace = await store.createWorkspace('Acme', NOW);
    const site = await store.createSite(workspace.id, ['https://acme.test'], NOW);
    await store.close();
    const raw = new BetterSqlite3(db);
    for (const { leads } of knownAnswerRows({ seed: 3, leads: 1_000, now: NOW }, { workspaceId: workspace.id, siteId: site.id }, compileModel(DEFAULT_MODEL))) {
      const columns = Object.keys(leads[0]!);
      const insert = raw.prepare(`insert into leads (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
      raw.transaction(() => leads.forEach((row) => insert.run(row)))();
    }
    raw.close();

    // One workspace in the database: --workspace may be left out.
    const json = await runTs('backend/src/cli.ts', ['report', '--attribute', 'industry', '--json', '--db', db]);
    expect(json.code, json.stderr).toBe(0);
    const report = ConversionReport.parse(JSON.parse(json.stdout));
    expect(report.leads).toBe(1_000);
    expect(Object.keys(report.byAttribute)).toEqual(['industry']);

    const text = await runTs('backend/src/cli.ts', ['report', '--workspace', workspace.id, '--db', db]);
    expect(text.code, text.stderr).toBe(0);
    const hot = report.byTier.find((g) => g.value === 'Hot')!;
    const pct = (x: number) => Math.round(x * 100);
    expect(text.stdout).toContain(`Hot: ${pct(hot.rate!)}% (${pct(hot.low!)}-${pct(hot.high!)}%, n=${hot.n})`);
    expect(text.stdout).toMatch(/AUC of the score: 0\.\d{3}/);
    expect(text.stdout).toContain(`${report.open} open (not in any rate)`);
    // The generated leads are in no account: one group holds them all.
    expect(report.byAccountTier.map((g) => [g.value, g.n + g.open])).toEqual([['(no account)', 1_000]]);
    expect(text.stdout).toMatch(/By account tier \(the lead's account as it stands now\):\n  \(no account\): \d+%/);

    const backwards = await runTs('backend/src/cli.ts', ['report', '--from', '2025-05-01', '--to', '2025-04-01', '--db', db]);
    expect(backwards.code).not.toBe(0);
    expect(backwards.stderr).toContain('the period is empty');
    tmp.remove();
  });
});
