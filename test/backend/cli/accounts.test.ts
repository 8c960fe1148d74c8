import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountDetail, TargetImportResult, TopAccounts } from '../../../shared/index';
import { SqliteStore } from '../../../backend/src/store/sqlite/sqlite-store';
import { runTs } from '../support/spawn';
import { NOW, tempDir } from '../support/app';

const cli = (args: string[]) => runTs('backend/src/cli.ts', args);

describe('npm run leadscore -- accounts', () => {
  it('imports a target list, lists the top accounts by tier and shows one by id or domain, as text or --json', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'accounts.db');
    const store = await SqliteStore.open(db);
    const workspace = await store.createWorkspace('Acme', NOW);
    await store.createLead(workspace.id, { email: 'ann@acme.com', name: 'Ann' }, { name: 'test' }, NOW);
    await store.close();
    const file = join(tmp.dir, 'targets.csv');
    writeFileSync(file, 'domain,name,industry,employees\r\nacme.com,Acme Robotics,Software,250\r\nglobex.com,Globex,Manufacturing,9000\r\nhotmail.com,Hot Mail,,\r\n');

    const imported = await cli(['accounts', 'targets', file, '--json', '--db', db]);
    // A refused row makes the exit status 1, as with a lead import.
    expect(imported.code, imported.stderr).toBe(1);
    expect(TargetImportResult.parse(JSON.parse(imported.stdout))).toEqual({ created: 1, updated: 1, errors: [{ line: 4, reason: expect.stringContaining('free mail domain') }] });

    const again = await cli(['accounts', 'targets', file, '--db', db]);
    expect(again.stdout).toContain('2 target accounts (0 created, 2 updated), 1 row refused');
    expect(again.stdout).toContain('line 4: domain: "hotmail.com" is a free mail domain');

    // Acme: target 30 + industry 10 + size 10 = 50, Warm; Globex: target 30 only, Cold.
    const top = TopAccounts.parse(JSON.parse((await cli(['accounts', 'top', '--json', '--db', db])).stdout));
    expect(top.accounts.map((a) => [a.domain, a.score, a.tier])).toEqual([
      ['acme.com', 50, 'Warm'],
      ['globex.com', 30, 'Cold'],
    ]);
    const warm = await cli(['accounts', 'top', '--tier', 'Warm', '--db', db]);
    expect(warm.code, warm.stderr).toBe(0);
    const [header, ...rows] = warm.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^SCORE\s+TIER\s+ACCOUNT\s+DOMAIN\s+PEOPLE\s+ENGAGED\s+TARGET\s+ID$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^ {3}50\s+Warm\s+Acme Robotics\s+acme\.com\s+1\s+0\s+yes\s+ac_/);
    // Columns line up: the tier starts under TIER.
    expect(rows[0]!.indexOf('Warm')).toBe(header!.indexOf('TIER'));
    const unknown = await cli(['accounts', 'top', '--tier', 'Lukewarm', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('account tiers are Hot, Warm, Cold');

    const acme = top.accounts[0]!;
    const byId = AccountDetail.parse(JSON.parse((await cli(['accounts', 'show', acme.id, '--json', '--db', db])).stdout));
    expect(byId.members.map((m) => m.email)).toEqual(['ann@acme.com']);
    const byUrl = await cli(['accounts', 'show', 'https://www.acme.com/pricing', '--db', db]);
    expect(byUrl.code, byUrl.stderr).toBe(0);
    expect(byUrl.stdout).toContain('Acme Robotics (acme.com) · Warm account · target account · score 50 (fit 50, engagement 0)');
    expect(byUrl.stdout).toMatch(/\+30\s+fit\s+Target account/);
    expect(byUrl.stdout).toContain('ann@acme.com');
    const missing = await cli(['accounts', 'show', 'initech.com', '--db', db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no account at initech.com yet');
    tmp.remove();
  });
});
