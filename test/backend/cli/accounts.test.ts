import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountDetail, TargetImportResult, TopAccounts } from '../../../shared/index';
import { accountsCommand, type AccountsInput } from '../../../backend/src/cli/accounts';
import { SqliteStore } from '../../../backend/src/store/sqlite/sqlite-store';
import { runTs } from '../support/spawn';
import { NOW, tempDir } from '../support/app';

class Usage extends Error {}

describe('npm run leadscore -- accounts', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: string;
  let store: SqliteStore;
  let workspaceId: string;
  let file: string;
  const run = (input: Partial<AccountsInput> & { action: string }) => accountsCommand(store, workspaceId, { argument: undefined, tier: undefined, limit: undefined, ...input }, NOW, (m) => new Usage(m));

  beforeEach(async () => {
    tmp = tempDir();
    db = join(tmp.dir, 'accounts.db');
    store = await SqliteStore.open(db);
    workspaceId = (await store.createWorkspace('Acme', NOW)).id;
    await store.createLead(workspaceId, { email: 'ann@acme.com', name: 'Ann' }, { name: 'test' }, NOW);
    file = join(tmp.dir, 'targets.csv');
    writeFileSync(file, 'domain,name,industry,employees\r\nacme.com,Acme Robotics,Software,250\r\nglobex.com,Globex,Manufacturing,9000\r\nhotmail.com,Hot Mail,,\r\n');
  });
  afterEach(async () => {
    await store.close();
    tmp.remove();
  });

  it('imports a target list, lists the top accounts as an aligned table and shows one by id or domain', async () => {
    const imported = await run({ action: 'targets', argument: file });
    // A refused row makes the exit status 1, as with a lead import.
    expect(imported.exitCode).toBe(1);
    expect(TargetImportResult.parse(imported.data)).toEqual({ created: 1, updated: 1, errors: [{ line: 4, reason: expect.stringContaining('free mail domain') }] });
    const again = await run({ action: 'targets', argument: file });
    expect(again.text).toContain('2 target accounts (0 created, 2 updated), 1 row refused');
    expect(again.text).toContain('line 4: domain: "hotmail.com" is a free mail domain');

    // Acme: target 30 + industry 10 + size 10 = 50, Warm; Globex: target 30 only, Cold.
    const top = TopAccounts.parse((await run({ action: 'top' })).data);
    expect(top.accounts.map((a) => [a.domain, a.score, a.tier])).toEqual([
      ['acme.com', 50, 'Warm'],
      ['globex.com', 30, 'Cold'],
    ]);
    const warm = await run({ action: 'top', tier: 'Warm' });
    const [header, ...rows] = warm.text.split('\n');
    expect(header).toMatch(/^SCORE\s+TIER\s+ACCOUNT\s+DOMAIN\s+PEOPLE\s+ENGAGED\s+TARGET\s+ID$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^ {3}50\s+Warm\s+Acme Robotics\s+acme\.com\s+1\s+0\s+yes\s+ac_/);
    // Columns line up: each value starts under its heading.
    for (const [value, heading] of [['Warm', 'TIER'], ['acme.com', 'DOMAIN'], ['yes', 'TARGET'], ['ac_', 'ID']]) expect(rows[0]!.indexOf(value!), value).toBe(header!.indexOf(heading!));
    await expect(run({ action: 'top', tier: 'Lukewarm' })).rejects.toThrow(/account tiers are Hot, Warm, Cold/);
    await expect(run({ action: 'top', limit: '0' })).rejects.toBeInstanceOf(Usage);

    const acme = top.accounts[0]!;
    const byId = AccountDetail.parse((await run({ action: 'show', argument: acme.id })).data);
    expect(byId.members.map((m) => m.email)).toEqual(['ann@acme.com']);
    const byUrl = await run({ action: 'show', argument: 'https://www.acme.com/pricing' });
    expect(AccountDetail.parse(byUrl.data)).toEqual(byId);
    expect(byUrl.text).toContain('Acme Robotics (acme.com) · Warm account · target account · score 50 (fit 50, engagement 0)');
    expect(byUrl.text).toMatch(/\+30\s+fit\s+Target account/);
    expect(byUrl.text).toContain('ann@acme.com');
    await expect(run({ action: 'show', argument: 'initech.com' })).rejects.toThrow('no account at initech.com yet');
  });

  it('is wired into cli.ts: --json prints the API shape, a misused command exits 2', async () => {
    await store.close();
    const imported = await runTs('backend/src/cli.ts', ['accounts', 'targets', file, '--json', '--db', db]);
    expect(imported.code, imported.stderr).toBe(1);
    expect(TargetImportResult.parse(JSON.parse(imported.stdout))).toMatchObject({ created: 1, updated: 1 });
    const unknown = await runTs('backend/src/cli.ts', ['accounts', 'top', '--tier', 'Lukewarm', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('account tiers are Hot, Warm, Cold');
    store = await SqliteStore.open(db);
  });
});
