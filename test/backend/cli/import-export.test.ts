import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { runTs } from '../support/spawn';
import { tempDir } from '../support/app';

/** `npm run leadscore -- import / export` on a real database file, as an operator runs them. */
describe('cli.ts import and export', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'cli.db');
  const cli = (...args: string[]) => runTs('backend/src/cli.ts', [...args, '--db', db]);
  const file = join(tmp.dir, 'leads.csv');

  beforeAll(async () => {
    expect((await cli('workspace', 'create', 'Acme')).code).toBe(0);
    writeFileSync(file, ['Id,Email,Industry,Won?', 'A-1,ann@acme.com,Software,yes', 'A-2,bob@,Retail,no', 'A-3,,Finance,sí'].join('\n'));
  });
  afterAll(() => tmp.remove());

  it('imports the good rows, writes the bad ones to an errors CSV and exits 1', async () => {
    const run = await cli('import', file, '--id-column', 'Id', '--email-column', 'Email', '--outcome-column', 'Won?', '--json');
    expect(run.code, run.stderr).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ rows: 3, created: 1, failed: 2, errorsFile: `${file}.errors.csv` });
    const errors = parse(readFileSync(`${file}.errors.csv`), { columns: true });
    expect(errors).toEqual([
      { line: '3', column: 'Email', reason: '"bob@" is not an email address' },
      { line: '4', column: 'Won?', reason: expect.stringContaining('"sí" is neither won') },
    ]);
    // --won / --lost take other words; a dry run of the fixed file writes nothing and exits 0.
    const dry = await cli('import', file, '--id-column', 'Id', '--email-column', 'Email', '--outcome-column', 'Won?', '--won', 'yes,sí', '--errors', join(tmp.dir, 'e.csv'), '--dry-run');
    expect(dry.code).toBe(1); // bob@ is still not an email
    expect(dry.stdout).toContain('would create 1, would update 1, 1 failed (dry run: nothing written)');
  });

  it('exports CSV on standard output, with the summary on standard error', async () => {
    const run = await cli('export');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('exported 1 leads');
    const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([expect.objectContaining({ external_id: 'A-1', email: 'ann@acme.com', outcome: 'won', industry: 'Software', 'leadscore.stage': 'Customer' })]);
    const hot = await cli('export', '--tier', 'Hot', '--json');
    expect(JSON.parse(hot.stderr)).toEqual({ rows: 0 });
  });

  it('explains what is missing instead of importing', async () => {
    const run = await cli('import', file, '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('name the column that identifies each lead');
    const empty = join(tmp.dir, 'empty.csv');
    writeFileSync(empty, '');
    const refused = await cli('import', empty, '--email-column', 'Email');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the file is empty');
    expect(existsSync(`${empty}.errors.csv`)).toBe(false);
  });
});
