import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../backend/src/app';
import { SqliteStore } from '../../../backend/src/store/sqlite/sqlite-store';
import { runTs } from '../support/spawn';
import { NOW, tempDir } from '../support/app';
import { DEFAULT_MODEL, Job } from '../../../shared/index';

/** `npm run leadscore -- ...` as other helpers' end-to-end tests use it: --json output on a real database file. */
describe('cli.ts (npm run leadscore)', () => {
  it('creates and lists workspaces, sites and tokens, revokes tokens, and signs email links', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'cli.db');
    const cli = async (...args: string[]) => {
      const result = await runTs('backend/src/cli.ts', [...args, '--db', db]);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as Record<string, unknown> & Record<string, unknown>[];
    };

    const ws = await cli('workspace', 'create', 'Acme Inc', '--json');
    expect(ws).toMatchObject({ id: expect.stringMatching(/^ws_/), name: 'Acme Inc' });
    const site = await cli('site', 'create', '--workspace', ws.id as string, '--origin', 'https://www.acme.test', '--origin', 'http://localhost:3000/', '--json');
    expect(site).toMatchObject({ key: expect.stringMatching(/^pk_/), origins: ['https://www.acme.test', 'http://localhost:3000'] });
    expect((await cli('site', 'add-origin', '--site', site.key as string, '--origin', 'https://b.test', '--json')).origins).toContain('https://b.test');
    const token = await cli('token', 'create', '--workspace', ws.id as string, '--role', 'admin', '--label', 'ops', '--json');
    expect(token).toMatchObject({ id: expect.stringMatching(/^tok_/), role: 'admin', label: 'ops', token: expect.stringMatching(/^ls_admin_/) });

    const listed = await runTs('backend/src/cli.ts', ['token', 'list', '--json', '--db', db]);
    expect(listed.stdout).toContain(token.id as string);
    expect(listed.stdout).not.toContain(token.token as string);
    const links = await cli('email-link', '--site', site.key as string, '--email', 'ann@acme.test', '--url', 'https://www.acme.test/offer', '--public-url', 'http://localhost', '--json');

    const store = await SqliteStore.open(db);
    const app = createApp({ store });
    expect((await app.request('/api/me', { headers: { Authorization: `Bearer ${token.token}` } })).status).toBe(200);
    const click = await app.request((links.clickUrl as string).replace('http://localhost', ''));
    expect(click.headers.get('location')).toBe('https://www.acme.test/offer');
    expect((await app.request((links.openPixelUrl as string).replace('http://localhost', ''))).status).toBe(200);
    await store.close();

    expect(await cli('token', 'revoke', token.id as string, '--json')).toEqual({ id: token.id, revoked: true });
    const afterRevoke = await runTs('backend/src/cli.ts', ['token', 'list', '--json'], { DATABASE_URL: db });
    expect((JSON.parse(afterRevoke.stdout) as { revokedAt: number | null }[])[0]!.revokedAt).toEqual(expect.any(Number));
    const reopened = await SqliteStore.open(db);
    expect((await createApp({ store: reopened }).request('/api/me', { headers: { Authorization: `Bearer ${token.token}` } })).status).toBe(401);
    await reopened.close();
    tmp.remove();
  });

  it('explains bad usage with exit code 2 and errors with 1', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'cli.db');
    const badOrigin = await runTs('backend/src/cli.ts', ['site', 'create', '--workspace', 'ws_x', '--origin', 'https://a.test/path', '--db', db]);
    expect(badOrigin.code).toBe(2);
    expect(badOrigin.stderr).toContain('"https://a.test/path" is not an origin');
    const noWorkspace = await runTs('backend/src/cli.ts', ['site', 'create', '--workspace', 'ws_x', '--origin', 'https://a.test', '--db', db]);
    expect(noWorkspace.code).toBe(1);
    expect(noWorkspace.stderr).toContain('no workspace ws_x');
    const unknown = await runTs('backend/src/cli.ts', ['frobnicate', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage:');
    const role = await runTs('backend/src/cli.ts', ['token', 'create', '--workspace', 'ws_x', '--role', 'boss', '--db', db]);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('--role must be rep or admin');
    tmp.remove();
  });

  it('model set stores the model and waits for its rescore job; --json prints the finished job', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'cli.db');
    const store = await SqliteStore.open(db);
    const ws = await store.createWorkspace('Acme', NOW);
    for (const email of ['ann@acme.test', 'bo@acme.test']) await store.createLead(ws.id, { email, attributes: {} }, { name: 'ops' }, NOW);
    await store.close();
    const file = join(tmp.dir, 'model.json');
    writeFileSync(file, JSON.stringify({ ...DEFAULT_MODEL, halfLifeDays: 9 }));

    const run = await runTs('backend/src/cli.ts', ['model', 'set', file, '--workspace', ws.id, '--json', '--db', db]);
    expect(run.code, run.stderr).toBe(0);
    expect(Job.parse(JSON.parse(run.stdout))).toMatchObject({ state: 'done', modelVersion: DEFAULT_MODEL.version + 1, progress: { done: 2, total: 2 } });
    const after = await SqliteStore.open(db);
    expect((await after.leadsByScore(ws.id, { minScore: 0, offset: 0, limit: 10 })).map((l) => l.modelVersion)).toEqual([DEFAULT_MODEL.version + 1, DEFAULT_MODEL.version + 1]);
    await after.close();

    writeFileSync(file, JSON.stringify({ ...DEFAULT_MODEL, halfLifeDays: -1 }));
    const refused = await runTs('backend/src/cli.ts', ['model', 'set', file, '--workspace', ws.id, '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not a valid model: halfLifeDays/);
    tmp.remove();
  });
});
